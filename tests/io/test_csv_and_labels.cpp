#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "salient/check.h"
#include "salient/io/csv.h"
#include "salient/io/labels_csv.h"
#include "salient/io/pool.h"
#include "support/temp_dir.h"
#include "test_pool_support.h"

namespace salient::io {
namespace {

std::vector<std::vector<std::string>> parse(const std::string& text) {
  std::istringstream stream(text);
  CsvReader reader(stream, "text");
  std::vector<std::vector<std::string>> rows;
  CsvRecord record;
  while (reader.next(record)) rows.push_back(record.fields);
  return rows;
}

TEST(Csv, ParsesQuotesEmbeddedSeparatorsNewlinesAndCrlf) {
  const auto rows = parse("\xEF\xBB\xBFid,Finding Labels\r\n\"a,1\",\"Effusion|Nodule\"\r\n\n\"say \"\"hi\"\"\",\"two\nlines\"\nlast,\n");
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"id", "Finding Labels"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"a,1", "Effusion|Nodule"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"say \"hi\"", "two\nlines"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{"last", ""}));
}

TEST(Csv, AnUnclosedQuoteNamesTheLineWhereTheRecordStarts) {
  try {
    parse("a,b\nc,\"open\nstill open\n");
    FAIL();
  } catch (const salient::Error& error) {
    EXPECT_NE(std::string(error.what()).find("line 2"), std::string::npos) << error.what();
  }
}

TEST(Csv, FieldsThatNeedQuotingAreQuoted) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"x\""), "\"say \"\"x\"\"\"");
  EXPECT_EQ(parse(csv_field("x,\"y\"\nz") + "\n")[0][0], "x,\"y\"\nz");
}

TEST(LabelsCsv, RoundTripsWithUnknownsAsEmptyCells) {
  salient::testing::TempDir dir;
  LabelTable table{{"Effusion", "Nodule"}, {{"img1", {1, -1}, 0, "oracle"}, {"img,2", {0, 1}, 3, "dr. a"}}};
  write_labels_csv(dir / "labels.csv", table);
  std::ifstream in(dir / "labels.csv");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "id,Effusion,Nodule,round,source\nimg1,1,,0,oracle\n\"img,2\",0,1,3,dr. a\n");
  const LabelTable back = read_labels_csv(dir / "labels.csv", {"Effusion", "Nodule"});
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[1].id, "img,2");
  EXPECT_EQ(back.rows[0].labels, (std::vector<std::int8_t>{1, -1}));
  EXPECT_EQ(back.rows[1].round, 3);
}

class LabelsCsvErrors : public ::testing::Test {
 protected:
  void expect_error(const std::string& text, const std::string& part) {
    std::ofstream(dir_ / "labels.csv", std::ios::trunc) << text;
    const std::unordered_map<std::string, std::int64_t> pool{{"a", 0}, {"b", 1}};
    try {
      read_labels_csv(dir_ / "labels.csv", {"Effusion"}, &pool);
      FAIL() << "expected an error containing " << part;
    } catch (const salient::Error& error) {
      const std::string message = error.what();
      EXPECT_NE(message.find(part), std::string::npos) << message;
      EXPECT_NE(message.find("labels.csv"), std::string::npos) << message;
    }
  }
  salient::testing::TempDir dir_;
};

TEST_F(LabelsCsvErrors, WrongHeader) { expect_error("id,Nodule,round,source\n", "expected 'id,Effusion,round,source'"); }
TEST_F(LabelsCsvErrors, IdNotInPool) { expect_error("id,Effusion,round,source\na,1,0,x\nzz,1,0,x\n", "line 3: id 'zz' is not in the pool"); }
TEST_F(LabelsCsvErrors, DuplicateId) { expect_error("id,Effusion,round,source\na,1,0,x\na,0,1,x\n", "line 3: id 'a' is listed twice"); }
TEST_F(LabelsCsvErrors, BadLabel) { expect_error("id,Effusion,round,source\nb,yes,0,x\n", "line 2 column 'Effusion': 'yes'"); }
TEST_F(LabelsCsvErrors, BadRound) { expect_error("id,Effusion,round,source\nb,1,-2,x\n", "line 2: round '-2'"); }
TEST_F(LabelsCsvErrors, MissingField) { expect_error("id,Effusion,round,source\nb,1,0\n", "line 2: 3 fields, expected 4"); }

TEST(LabelsCsv, IsValidatedAgainstThePoolsIds) {
  salient::testing::TempDir dir;
  testing::write_small_pool(dir / "pool", testing::small_spec(12, 5));
  const auto ids = Pool::open(dir / "pool").id_index();
  ASSERT_EQ(ids.size(), 12u);
  EXPECT_EQ(ids.at("img000007"), 7);
  std::ofstream(dir / "labels.csv") << "id,Effusion,Nodule,round,source\nimg000003,1,0,1,oracle\nimg999999,0,0,1,oracle\n";
  try {
    read_labels_csv(dir / "labels.csv", {"Effusion", "Nodule"}, &ids);
    FAIL() << "an id outside the pool must be refused";
  } catch (const salient::Error& error) {
    EXPECT_NE(std::string(error.what()).find("line 3: id 'img999999' is not in the pool"), std::string::npos)
        << error.what();
  }
}

}  // namespace
}  // namespace salient::io
