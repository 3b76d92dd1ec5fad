#pragma once
// A tiny, tolerant extractor for the few tags S3 answers carry (Error/Code, UploadId, Contents,
// Key, Size, ...). Not an XML parser: no namespaces-aware matching, no CDATA; entities decoded.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cp::objstore::xml {

// The inner text of every <tag>...</tag> (attributes on the opening tag allowed), in order.
std::vector<std::string_view> blocks(std::string_view doc, std::string_view tag);
// The decoded text of the first <tag>, or nullopt.
std::optional<std::string> value(std::string_view doc, std::string_view tag);
std::string decode_entities(std::string_view s);
std::string escape(std::string_view s);

}  // namespace cp::objstore::xml
