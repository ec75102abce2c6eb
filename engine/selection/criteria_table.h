// The criteria of the candidates a selection chooses from, as gathered on rank 0: per
// candidate its global image index and id, and named float columns (criterion name →
// one value per candidate, NaN where the criterion is undefined), and optionally each
// candidate's embedding (the strategies that measure distances read it). Row order is free: the
// selection depends on the global indices, never on where a row sits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace salient::selection {

class OnlineForest;

class CriteriaTable {
 public:
  CriteriaTable() = default;
  /// Candidates row by row. Throws salient::Error unless the sizes agree, every global
  /// index is ≥ 0 and no global index or id appears twice.
  CriteriaTable(std::vector<std::int64_t> global_indices, std::vector<std::string> ids);

  std::size_t rows() const { return global_indices_.size(); }
  const std::vector<std::int64_t>& global_indices() const { return global_indices_; }
  const std::vector<std::string>& ids() const { return ids_; }

  /// Adds or replaces the column @p name; throws salient::Error unless it has rows() values.
  void set_column(const std::string& name, std::vector<float> values);
  bool has_column(const std::string& name) const { return columns_.count(name) != 0; }
  /// The column @p name; throws salient::Error naming it and the columns there are.
  const std::vector<float>& column(const std::string& name) const;
  /// Column names in lexicographic order.
  std::vector<std::string> column_names() const;

  /// Sets every candidate's embedding: rows() × @p dim values, row-major in row order.
  void set_embeddings(std::int64_t dim, std::vector<float> values);
  /// 0 when the table has no embeddings.
  std::int64_t embedding_dim() const { return embedding_dim_; }
  const std::vector<float>& embeddings() const { return embeddings_; }

  /// Sets every candidate's class probabilities: rows() × @p classes, row-major, from C
  /// sigmoids (@p multi_label) or a softmax.
  void set_probabilities(std::int64_t classes, std::vector<float> values, bool multi_label);
  std::int64_t classes() const { return classes_; }  ///< 0 when the table has no probabilities
  const std::vector<float>& probabilities() const { return probabilities_; }
  bool multi_label() const { return multi_label_; }

  /// Every candidate's cluster (cluster-margin's, computed once per study), in row order.
  void set_clusters(std::vector<std::int32_t> clusters);
  const std::vector<std::int32_t>& clusters() const { return clusters_; }  ///< empty: none given

  /// ideal-deep's on-line forest, trained on the levels of the study's earlier rounds.
  void set_forest(std::shared_ptr<const OnlineForest> forest) { forest_ = std::move(forest); }
  const OnlineForest* forest() const { return forest_.get(); }  ///< nullptr: none yet

 private:
  std::vector<std::int64_t> global_indices_;
  std::vector<std::string> ids_;
  std::map<std::string, std::vector<float>> columns_;
  std::int64_t embedding_dim_ = 0;
  std::vector<float> embeddings_;
  std::int64_t classes_ = 0;
  std::vector<float> probabilities_;
  bool multi_label_ = true;
  std::vector<std::int32_t> clusters_;
  std::shared_ptr<const OnlineForest> forest_;
};

}  // namespace salient::selection
