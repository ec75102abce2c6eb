#include "salient/io/batch_partition.h"

#include <algorithm>

#include "salient/check.h"

namespace salient::io {

std::int64_t batch_count(std::int64_t images, std::int64_t batch_size) {
  SALIENT_CHECK(batch_size > 0, "batch size must be positive, not {}", batch_size);
  SALIENT_CHECK(images >= 0, "image count must not be negative");
  return (images + batch_size - 1) / batch_size;
}

RankShare rank_share(std::int64_t images, std::int64_t batch_size, int rank, int world) {
  SALIENT_CHECK(world > 0 && rank >= 0 && rank < world, "rank {} of {} ranks is not valid", rank, world);
  const std::int64_t batches = batch_count(images, batch_size);
  RankShare share;
  share.first_batch = batches * rank / world;
  share.end_batch = batches * (rank + 1) / world;
  share.begin = std::min(images, share.first_batch * batch_size);
  share.end = std::min(images, share.end_batch * batch_size);
  return share;
}

}  // namespace salient::io
