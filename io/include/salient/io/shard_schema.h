// Names and layout of the datasets inside one shard file (docs/pool-format.md).
#pragma once

namespace salient::io::shard_schema {

inline constexpr const char* kFormatName = "salient-shard";
inline constexpr const char* kImages = "images";            ///< [n, H, W] uint8 | uint16 | float32
inline constexpr const char* kIds = "ids";                  ///< [n] strings, unique in the pool
inline constexpr const char* kPatientIds = "patient_ids";   ///< [n] strings (optional)
inline constexpr const char* kViews = "views";              ///< [n] strings: PA, AP, LL… (optional)
inline constexpr const char* kLabels = "labels";            ///< [n, C] int8: 1, 0, or -1 unknown
inline constexpr const char* kRoi = "roi";                  ///< [n, H, W] uint8 masks (optional)
inline constexpr const char* kBoxRow = "boxes/row";         ///< [m] int64: row of the image in this shard
inline constexpr const char* kBoxLabel = "boxes/label";     ///< [m] int32: label column, -1 none
inline constexpr const char* kBoxXywh = "boxes/xywh";       ///< [m, 4] float32 pixels: x, y, w, h
inline constexpr const char* kFirstIndexAttribute = "first_index";  ///< global index of row 0
inline constexpr const char* kFormatAttribute = "format";

}  // namespace salient::io::shard_schema
