#include "core/spooled_body.h"

#include <stdexcept>
#include <system_error>

#include "core/ids.h"

namespace cp::http {

namespace {
std::filesystem::path spool_dir(const std::filesystem::path& dir) {
  auto d = dir.empty() ? std::filesystem::temp_directory_path() / "cloudphone-spool" : dir;
  std::filesystem::create_directories(d);
  return d;
}
}  // namespace

SpooledBody::~SpooledBody() {
  std::error_code ec;
  if (!path.empty()) std::filesystem::remove(path, ec);
}

std::shared_ptr<const SpooledBody> SpooledBody::from_bytes(std::string_view bytes,
                                                           const std::filesystem::path& dir) {
  SpoolWriter w(dir);
  w.append(bytes);
  return w.finish();
}

std::shared_ptr<const SpooledBody> SpooledBody::from_file(const std::filesystem::path& source,
                                                          const std::filesystem::path& dir) {
  std::ifstream in(source, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + source.string());
  SpoolWriter w(dir);
  std::string buf(1 << 16, '\0');
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (auto n = in.gcount(); n > 0) w.append(std::string_view(buf.data(), static_cast<size_t>(n)));
  }
  return w.finish();
}

std::string SpooledBody::read_all() const {
  std::ifstream in(path, std::ios::binary);
  std::string out(size, '\0');
  in.read(out.data(), static_cast<std::streamsize>(size));
  if (static_cast<uint64_t>(in.gcount()) != size)
    throw std::runtime_error("spooled body truncated");
  return out;
}

SpoolWriter::SpoolWriter(const std::filesystem::path& dir)
    : path_(spool_dir(dir) / ("upload-" + random_hex(12))),
      out_(path_, std::ios::binary | std::ios::trunc) {
  if (!out_) throw std::runtime_error("cannot create spool file " + path_.string());
}

SpoolWriter::~SpoolWriter() {
  if (!done_) {
    out_.close();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
}

void SpoolWriter::append(std::string_view chunk) {
  out_.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
  if (!out_) throw std::runtime_error("spool write failed (disk full?)");
  hash_.update(chunk);
  size_ += chunk.size();
}

std::shared_ptr<const SpooledBody> SpoolWriter::finish() {
  out_.close();
  if (!out_) throw std::runtime_error("spool close failed");
  auto body = std::make_shared<SpooledBody>();
  body->path = path_;
  body->size = size_;
  body->sha256 = hash_.finish_hex();
  done_ = true;
  return body;
}

}  // namespace cp::http
