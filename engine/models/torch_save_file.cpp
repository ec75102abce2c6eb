#include "engine/models/torch_save_file.h"

#include <caffe2/serialize/inline_container.h>
#include <sys/stat.h>
#include <torch/torch.h>

#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "engine/models/zip_directory.h"
#include "salient/check.h"

namespace salient::models {
namespace {

/// A Python value as far as state_dict files need one.
struct PyValue {
  enum class Kind { none, integer, real, text, tuple, list, dict, global, tensor, storage, object };
  Kind kind = Kind::none;
  std::int64_t integer = 0;
  double real = 0.0;
  std::string text;  ///< a str, or a global's "module.name"
  std::vector<std::shared_ptr<PyValue>> items;
  std::vector<std::pair<std::shared_ptr<PyValue>, std::shared_ptr<PyValue>>> entries;
  at::Tensor tensor;  ///< a tensor, or a storage as a 1-D tensor
};
using Value = std::shared_ptr<PyValue>;

Value make(PyValue::Kind kind) {
  auto value = std::make_shared<PyValue>();
  value->kind = kind;
  return value;
}

c10::ScalarType storage_scalar_type(const std::string& storage_class, const std::string& path) {
  static const std::map<std::string, c10::ScalarType> types{
      {"torch.FloatStorage", c10::kFloat},   {"torch.DoubleStorage", c10::kDouble}, {"torch.HalfStorage", c10::kHalf},
      {"torch.BFloat16Storage", c10::kBFloat16}, {"torch.LongStorage", c10::kLong},  {"torch.IntStorage", c10::kInt},
      {"torch.ShortStorage", c10::kShort},   {"torch.CharStorage", c10::kChar},     {"torch.ByteStorage", c10::kByte},
      {"torch.BoolStorage", c10::kBool}};
  const auto found = types.find(storage_class);
  SALIENT_CHECK(found != types.end(), "{}: unsupported storage type '{}'", path, storage_class);
  return found->second;
}

/// Refuses, before LibTorch's reader allocates anything, an archive whose directory claims
/// a record larger than the file: torch.save stores its records uncompressed, so such an entry
/// is damaged (LibTorch would allocate its claimed size, up to 4 GiB, before reading).
void check_record_sizes(const std::string& path) {
  struct stat status {};
  SALIENT_CHECK(::stat(path.c_str(), &status) == 0, "{}: cannot read its size", path);
  const auto file_size = static_cast<std::uint64_t>(status.st_size);
  for (const ZipEntry& entry : read_zip_directory(path)) {
    SALIENT_CHECK(entry.uncompressed_size <= file_size && entry.compressed_size <= file_size,
                  "{}: record '{}' claims {} bytes, more than the file's {} (a damaged file)", path, entry.name,
                  entry.uncompressed_size, file_size);
  }
}

class Unpickler {
 public:
  Unpickler(caffe2::serialize::PyTorchStreamReader& archive, const char* data, std::size_t size, std::string path)
      : archive_(archive), data_(data), size_(size), path_(std::move(path)) {}

  Value run() {
    for (;;) {
      const auto opcode = static_cast<unsigned char>(read_bytes(1)[0]);
      switch (opcode) {
        case 0x80: read_bytes(1); break;                                   // PROTO
        case 0x95: read_bytes(8); break;                                   // FRAME
        case '.': return pop();                                            // STOP
        case '(': marks_.push_back(stack_.size()); break;                  // MARK
        case 'N': stack_.push_back(make(PyValue::Kind::none)); break;      // NONE
        case 0x88: push_integer(1); break;                                 // NEWTRUE
        case 0x89: push_integer(0); break;                                 // NEWFALSE
        case 'K': push_integer(static_cast<std::int64_t>(read_unsigned(1))); break;  // BININT1
        case 'M': push_integer(static_cast<std::int64_t>(read_unsigned(2))); break;  // BININT2
        case 'J': push_integer(static_cast<std::int32_t>(read_unsigned(4))); break;  // BININT
        case 0x8a: push_long(read_unsigned(1)); break;                     // LONG1
        case 'G': push_real(); break;                                      // BINFLOAT
        case 'X': push_text(read_unsigned(4)); break;                      // BINUNICODE
        case 0x8c: push_text(read_unsigned(1)); break;                     // SHORT_BINUNICODE
        case 'c': push_global(); break;                                    // GLOBAL
        case 'q': memo_put(read_unsigned(1)); break;                       // BINPUT
        case 'r': memo_put(read_unsigned(4)); break;                       // LONG_BINPUT
        case 0x94: memo_put(memo_.size()); break;                          // MEMOIZE
        case 'h': stack_.push_back(memo_get(read_unsigned(1))); break;     // BINGET
        case 'j': stack_.push_back(memo_get(read_unsigned(4))); break;     // LONG_BINGET
        case ')': stack_.push_back(make(PyValue::Kind::tuple)); break;     // EMPTY_TUPLE
        case 0x85: push_tuple(stack_.size() - 1); break;                   // TUPLE1
        case 0x86: push_tuple(stack_.size() - 2); break;                   // TUPLE2
        case 0x87: push_tuple(stack_.size() - 3); break;                   // TUPLE3
        case 't': push_tuple(pop_mark()); break;                           // TUPLE
        case ']': stack_.push_back(make(PyValue::Kind::list)); break;      // EMPTY_LIST
        case '}': stack_.push_back(make(PyValue::Kind::dict)); break;      // EMPTY_DICT
        case 'a': append(stack_.size() - 1); break;                        // APPEND
        case 'e': append(pop_mark()); break;                               // APPENDS
        case 's': set_items(stack_.size() - 2); break;                     // SETITEM
        case 'u': set_items(pop_mark()); break;                            // SETITEMS
        case 'Q': load_storage(); break;                                   // BINPERSID
        case 'R': reduce(); break;                                         // REDUCE
        case 'b': pop(); break;  // BUILD: object state (_metadata) is not needed
        default:
          throw Error(fmt::format("{}: unsupported pickle opcode 0x{:02x} at byte {}", path_, opcode, position_ - 1));
      }
    }
  }

 private:
  const char* read_bytes(std::size_t count) {
    SALIENT_CHECK(position_ + count <= size_, "{}: the pickle ends early (byte {})", path_, position_);
    const char* bytes = data_ + position_;
    position_ += count;
    return bytes;
  }
  std::uint64_t read_unsigned(std::size_t count) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(read_bytes(count));
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < count; ++i) value |= std::uint64_t{bytes[i]} << (8 * i);  // little-endian
    return value;
  }
  std::string read_line() {
    const auto start = position_;
    while (*read_bytes(1) != '\n') {
    }
    return std::string(data_ + start, position_ - start - 1);
  }

  Value pop() {
    SALIENT_CHECK(!stack_.empty(), "{}: malformed pickle (empty stack at byte {})", path_, position_);
    auto value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }
  std::size_t pop_mark() {
    SALIENT_CHECK(!marks_.empty(), "{}: malformed pickle (no mark at byte {})", path_, position_);
    const auto mark = marks_.back();
    marks_.pop_back();
    return mark;
  }
  Value& top(std::size_t below_end) {
    SALIENT_CHECK(stack_.size() > below_end, "{}: malformed pickle (stack too short at byte {})", path_, position_);
    return stack_[stack_.size() - 1 - below_end];
  }

  void push_integer(std::int64_t value) {
    auto item = make(PyValue::Kind::integer);
    item->integer = value;
    stack_.push_back(item);
  }
  void push_long(std::uint64_t bytes) {
    SALIENT_CHECK(bytes <= 8, "{}: integer of {} bytes at byte {}", path_, bytes, position_);
    std::uint64_t value = bytes == 0 ? 0 : read_unsigned(bytes);
    if (bytes > 0 && bytes < 8 && (value >> (8 * bytes - 1)) != 0) value |= ~std::uint64_t{0} << (8 * bytes);
    push_integer(static_cast<std::int64_t>(value));
  }
  void push_real() {
    const auto* bytes = read_bytes(8);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(bytes[i]);  // big-endian
    auto item = make(PyValue::Kind::real);
    std::memcpy(&item->real, &bits, sizeof bits);
    stack_.push_back(item);
  }
  void push_text(std::uint64_t length) {
    auto item = make(PyValue::Kind::text);
    item->text.assign(read_bytes(length), length);
    stack_.push_back(item);
  }
  void push_global() {
    auto item = make(PyValue::Kind::global);
    const auto module = read_line();
    item->text = module + "." + read_line();
    stack_.push_back(item);
  }
  void push_tuple(std::size_t start) {
    SALIENT_CHECK(start <= stack_.size(), "{}: malformed pickle (tuple at byte {})", path_, position_);
    auto tuple = make(PyValue::Kind::tuple);
    tuple->items.assign(stack_.begin() + static_cast<std::ptrdiff_t>(start), stack_.end());
    stack_.resize(start);
    stack_.push_back(tuple);
  }
  void append(std::size_t start) {
    SALIENT_CHECK(start >= 1 && start <= stack_.size(), "{}: malformed pickle (append at byte {})", path_, position_);
    auto& list = stack_[start - 1];
    list->items.insert(list->items.end(), stack_.begin() + static_cast<std::ptrdiff_t>(start), stack_.end());
    stack_.resize(start);
  }
  void set_items(std::size_t start) {
    SALIENT_CHECK(start >= 1 && start <= stack_.size() && (stack_.size() - start) % 2 == 0,
                  "{}: malformed pickle (setitems at byte {})", path_, position_);
    auto& dict = stack_[start - 1];
    for (auto i = start; i < stack_.size(); i += 2) dict->entries.emplace_back(stack_[i], stack_[i + 1]);
    stack_.resize(start);
  }
  void memo_put(std::uint64_t index) { memo_[index] = top(0); }
  Value memo_get(std::uint64_t index) {
    const auto found = memo_.find(index);
    SALIENT_CHECK(found != memo_.end(), "{}: malformed pickle (memo {} unset at byte {})", path_, index, position_);
    return found->second;
  }

  /// ('storage', storage class, key, location, numel) → the record data/<key> as a 1-D tensor.
  void load_storage() {
    const auto id = pop();
    SALIENT_CHECK(id->kind == PyValue::Kind::tuple && id->items.size() == 5 && id->items[0]->text == "storage",
                  "{}: unsupported persistent id at byte {}", path_, position_);
    const auto type = storage_scalar_type(id->items[1]->text, path_);
    const auto numel = id->items[4]->integer;
    const auto record = "data/" + id->items[2]->text;
    SALIENT_CHECK(archive_.hasRecord(record), "{}: the archive has no storage record '{}'", path_, record);
    const auto element_size = c10::elementSize(type);
    const auto size = archive_.getRecordSize(record);
    SALIENT_CHECK(numel >= 0 && size == static_cast<std::size_t>(numel) * element_size,
                  "{}: storage '{}' holds {} bytes, expected {} elements of {} bytes", path_, record, size, numel,
                  element_size);
    auto [bytes, read] = archive_.getRecord(record);
    SALIENT_CHECK(read == size, "{}: storage '{}' read {} of {} bytes", path_, record, read, size);
    auto storage = make(PyValue::Kind::storage);
    storage->tensor = torch::empty({numel}, torch::TensorOptions().dtype(type));
    if (size > 0) std::memcpy(storage->tensor.data_ptr(), bytes.get(), size);
    stack_.push_back(storage);
  }

  static std::vector<std::int64_t> integers(const PyValue& tuple) {
    std::vector<std::int64_t> values;
    for (const auto& item : tuple.items) values.push_back(item->integer);
    return values;
  }

  void reduce() {
    const auto arguments = pop();
    const auto callable = pop();
    const auto& name = callable->text;
    if (name == "torch._utils._rebuild_tensor_v2") {
      // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
      SALIENT_CHECK(arguments->items.size() >= 4 && arguments->items[0]->kind == PyValue::Kind::storage,
                    "{}: malformed _rebuild_tensor_v2 at byte {}", path_, position_);
      auto tensor = make(PyValue::Kind::tensor);
      tensor->tensor = arguments->items[0]
                           ->tensor.as_strided(integers(*arguments->items[2]), integers(*arguments->items[3]),
                                               arguments->items[1]->integer)
                           .clone();
      stack_.push_back(tensor);
    } else if (name == "torch._utils._rebuild_parameter" && !arguments->items.empty()) {
      stack_.push_back(arguments->items[0]);  // (data, requires_grad, backward_hooks)
    } else if (name == "collections.OrderedDict") {
      stack_.push_back(make(PyValue::Kind::dict));
    } else {
      stack_.push_back(make(PyValue::Kind::object));  // not needed for tensors
    }
  }

  caffe2::serialize::PyTorchStreamReader& archive_;
  const char* data_;
  std::size_t size_;
  std::string path_;
  std::size_t position_ = 0;
  std::vector<Value> stack_;
  std::vector<std::size_t> marks_;
  std::map<std::uint64_t, Value> memo_;
};

}  // namespace

std::map<std::string, at::Tensor> read_torch_save_tensors(const std::string& path) {
  check_record_sizes(path);
  std::unique_ptr<caffe2::serialize::PyTorchStreamReader> archive;
  try {
    archive = std::make_unique<caffe2::serialize::PyTorchStreamReader>(path);
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: not a file written by torch.save ({})", path, error.what_without_backtrace()));
  }
  // A damaged archive or pickle makes LibTorch throw (a record that does not decompress, a
  // tensor view outside its storage): refused like any other malformed file.
  try {
    SALIENT_CHECK(archive->hasRecord("data.pkl"), "{}: not a file written by torch.save (no data.pkl)", path);
    if (archive->hasRecord("byteorder")) {
      auto [bytes, size] = archive->getRecord("byteorder");
      const std::string order(static_cast<const char*>(bytes.get()), size);
      SALIENT_CHECK(order == "little", "{}: storages are {}-endian; salient reads little-endian ones", path, order);
    }
    auto [pickle, size] = archive->getRecord("data.pkl");
    const auto root = Unpickler(*archive, static_cast<const char*>(pickle.get()), size, path).run();
    SALIENT_CHECK(root->kind == PyValue::Kind::dict, "{}: expected a dict of tensors (a state_dict)", path);
    std::map<std::string, at::Tensor> tensors;
    for (const auto& [key, value] : root->entries) {
      if (key->kind == PyValue::Kind::text && value->kind == PyValue::Kind::tensor) tensors[key->text] = value->tensor;
    }
    return tensors;
  } catch (const c10::Error& error) {
    throw Error(fmt::format("{}: a damaged torch.save file ({})", path, error.what_without_backtrace()));
  }
}

}  // namespace salient::models
