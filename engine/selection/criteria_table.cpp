#include "engine/selection/criteria_table.h"

#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "salient/check.h"

namespace salient::selection {

CriteriaTable::CriteriaTable(std::vector<std::int64_t> global_indices, std::vector<std::string> ids)
    : global_indices_(std::move(global_indices)), ids_(std::move(ids)) {
  SALIENT_CHECK(global_indices_.size() == ids_.size(), "criteria table: {} global indices but {} ids",
                global_indices_.size(), ids_.size());
  std::unordered_set<std::int64_t> seen_indices;
  std::unordered_set<std::string> seen_ids;
  for (std::size_t row = 0; row < rows(); ++row) {
    SALIENT_CHECK(global_indices_[row] >= 0, "criteria table: row {} (id '{}') has global index {}, expected >= 0", row,
                  ids_[row], global_indices_[row]);
    SALIENT_CHECK(seen_indices.insert(global_indices_[row]).second,
                  "criteria table: global index {} appears twice (row {}, id '{}')", global_indices_[row], row,
                  ids_[row]);
    SALIENT_CHECK(seen_ids.insert(ids_[row]).second, "criteria table: id '{}' appears twice (row {})", ids_[row], row);
  }
}

void CriteriaTable::set_column(const std::string& name, std::vector<float> values) {
  SALIENT_CHECK(values.size() == rows(), "criteria table: column '{}' has {} values for {} candidates", name,
                values.size(), rows());
  columns_[name] = std::move(values);
}

const std::vector<float>& CriteriaTable::column(const std::string& name) const {
  const auto found = columns_.find(name);
  SALIENT_CHECK(found != columns_.end(), "criteria table has no column '{}' (it has: {})", name,
                fmt::join(column_names(), ", "));
  return found->second;
}

void CriteriaTable::set_embeddings(std::int64_t dim, std::vector<float> values) {
  SALIENT_CHECK(dim >= 1 && values.size() == rows() * static_cast<std::size_t>(dim),
                "criteria table: {} embedding values for {} candidates of dimension {}", values.size(), rows(), dim);
  embedding_dim_ = dim;
  embeddings_ = std::move(values);
}

void CriteriaTable::set_probabilities(std::int64_t classes, std::vector<float> values, bool multi_label) {
  SALIENT_CHECK(classes >= 1 && values.size() == rows() * static_cast<std::size_t>(classes),
                "criteria table: {} probabilities for {} candidates of {} classes", values.size(), rows(), classes);
  classes_ = classes;
  probabilities_ = std::move(values);
  multi_label_ = multi_label;
}

void CriteriaTable::set_clusters(std::vector<std::int32_t> clusters) {
  SALIENT_CHECK(clusters.size() == rows(), "criteria table: {} clusters for {} candidates", clusters.size(), rows());
  clusters_ = std::move(clusters);
}

std::vector<std::string> CriteriaTable::column_names() const {
  std::vector<std::string> names;
  names.reserve(columns_.size());
  for (const auto& entry : columns_) names.push_back(entry.first);
  return names;
}

}  // namespace salient::selection
