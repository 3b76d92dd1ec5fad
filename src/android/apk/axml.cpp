#include "android/apk/axml.h"

#include "android/apk/string_pool.h"

namespace cp::apk {
namespace {

constexpr uint16_t kXmlType = 0x0003;
constexpr uint16_t kStringPoolType = 0x0001;
constexpr uint16_t kResourceMapType = 0x0180;
constexpr uint16_t kStartNamespace = 0x0100;
constexpr uint16_t kEndNamespace = 0x0101;
constexpr uint16_t kStartElement = 0x0102;
constexpr uint16_t kEndElement = 0x0103;
constexpr uint16_t kCdata = 0x0104;
constexpr size_t kNodeHeaderSize = 16;  // chunk header + line number + comment
constexpr size_t kAttributeMinSize = 20;

class AxmlParser {
 public:
  AxmlParser(ByteView xml, const XmlLimits& limits) : xml_(xml), limits_(limits) {}

  XmlDocument parse();

 private:
  void start_element(const Chunk& node);
  void end_element();
  uint32_t resource_id_for(uint32_t name_index) const;

  ByteView xml_;
  XmlLimits limits_;
  StringPool pool_;
  bool has_pool_ = false;
  ByteView resource_map_;
  XmlDocument doc_;
  std::vector<int> open_;  // stack of open element indices
  size_t attribute_count_ = 0;
};

XmlDocument AxmlParser::parse() {
  Chunk top = read_chunk(xml_, 0);
  if (top.type != kXmlType) {
    throw ApkError("not binary XML (first chunk type " + std::to_string(top.type) + ")");
  }
  ByteView doc = top.data;
  for (size_t offset = top.header_size; offset < doc.size();) {
    Chunk chunk = read_chunk(doc, offset);
    switch (chunk.type) {
      case kStringPoolType:
        if (has_pool_) {
          throw ApkError("binary XML has two string pools");
        }
        pool_ = StringPool(chunk);
        has_pool_ = true;
        break;
      case kResourceMapType:
        resource_map_ = chunk.body();
        break;
      case kStartElement:
        start_element(chunk);
        break;
      case kEndElement:
        end_element();
        break;
      case kStartNamespace:
      case kEndNamespace:
      case kCdata:
        break;  // namespace URIs are stored on each attribute; text content is not needed
      default:
        break;  // unknown chunks are skipped, as Android does
    }
    offset += chunk.size;
  }
  if (doc_.elements.empty()) {
    throw ApkError("binary XML has no elements");
  }
  if (!open_.empty()) {
    throw ApkError("binary XML ends inside an element");
  }
  return std::move(doc_);
}

uint32_t AxmlParser::resource_id_for(uint32_t name_index) const {
  // The resource map gives the attribute id for the first N strings of the pool.
  if (name_index < resource_map_.size() / 4) {
    return resource_map_.u32(size_t{name_index} * 4);
  }
  return 0;
}

void AxmlParser::start_element(const Chunk& node) {
  if (!has_pool_) {
    throw ApkError("binary XML element before the string pool");
  }
  if (node.header_size < kNodeHeaderSize) {
    throw ApkError("binary XML element header too small");
  }
  if (doc_.elements.size() >= limits_.max_elements) {
    throw ApkError("binary XML has too many elements");
  }
  if (!open_.empty() && static_cast<int>(open_.size()) >= limits_.max_depth) {
    throw ApkError("binary XML nests too deeply");
  }
  if (open_.empty() && !doc_.elements.empty()) {
    throw ApkError("binary XML has more than one root element");
  }
  ByteView ext = node.data.sub(node.header_size, node.size - node.header_size);
  XmlElement element;
  element.ns = pool_.at_or_empty(ext.u32(0));
  element.name = pool_.at(ext.u32(4));
  uint16_t attribute_start = ext.u16(8);
  uint16_t attribute_size = ext.u16(10);
  uint16_t attribute_count = ext.u16(12);
  if (attribute_count > 0 && attribute_size < kAttributeMinSize) {
    throw ApkError("binary XML attribute size too small");
  }
  attribute_count_ += attribute_count;
  if (attribute_count_ > limits_.max_attributes) {
    throw ApkError("binary XML has too many attributes");
  }
  ByteView attributes = ext.sub(attribute_start, size_t{attribute_count} * attribute_size);
  element.attributes.reserve(attribute_count);
  for (size_t i = 0; i < attribute_count; ++i) {
    size_t at = i * attribute_size;
    XmlAttribute attribute;
    attribute.ns = pool_.at_or_empty(attributes.u32(at));
    uint32_t name_index = attributes.u32(at + 4);
    attribute.resource_id = resource_id_for(name_index);
    attribute.name = pool_.at_or_empty(name_index);
    attribute.raw = pool_.at_or_empty(attributes.u32(at + 8));
    attribute.value = read_res_value(attributes, at + 12);
    if (attribute.value.type == ResValue::kString && attribute.raw.empty()) {
      attribute.raw = pool_.at(attribute.value.data);
    }
    element.attributes.push_back(std::move(attribute));
  }
  int index = static_cast<int>(doc_.elements.size());
  element.parent = open_.empty() ? -1 : open_.back();
  element.depth = static_cast<int>(open_.size());
  if (element.parent >= 0) {
    doc_.elements[element.parent].children.push_back(index);
  }
  doc_.elements.push_back(std::move(element));
  open_.push_back(index);
}

void AxmlParser::end_element() {
  if (open_.empty()) {
    throw ApkError("binary XML closes an element that is not open");
  }
  open_.pop_back();
}

}  // namespace

const XmlAttribute* XmlElement::find(uint32_t resource_id, std::string_view android_name) const {
  for (const XmlAttribute& attribute : attributes) {
    if (attribute.resource_id == resource_id) {
      return &attribute;
    }
  }
  for (const XmlAttribute& attribute : attributes) {
    if (attribute.resource_id == 0 && attribute.ns == kAndroidNamespace &&
        attribute.name == android_name) {
      return &attribute;
    }
  }
  return nullptr;
}

XmlDocument parse_axml(std::span<const uint8_t> bytes, const XmlLimits& limits) {
  if (!bytes.empty() && (bytes[0] == '<' || bytes[0] == 0xef || bytes[0] == ' ')) {
    throw ApkError("text XML where binary XML was expected");
  }
  return AxmlParser(ByteView(bytes), limits).parse();
}

}  // namespace cp::apk
