#pragma once
// A non-blocking socket with deadline-aware blocking I/O, usable as a Beast SyncReadStream /
// SyncWriteStream. Every wait is bounded by one deadline for the whole exchange, so a peer that
// stops answering costs at most the caller's timeout. Used by HttpClient (TCP) and by the
// container-engine transport (unix socket). Waits throw HttpClientError (timeout or io).
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>
#include <cerrno>
#include <chrono>
#include <cstring>

#include "core/http_client_error.h"

namespace cp::http {

class DeadlineSocket {
 public:
  using Clock = std::chrono::steady_clock;
  DeadlineSocket() = default;
  explicit DeadlineSocket(int fd) : fd_(fd) {}
  ~DeadlineSocket() { reset(); }
  DeadlineSocket(const DeadlineSocket&) = delete;
  DeadlineSocket& operator=(const DeadlineSocket&) = delete;

  int fd() const { return fd_; }
  // Closes the current descriptor (if any) and takes `fd`.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }
  void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }
  // Bytes received since the last reset_bytes_read() (tells whether a response had started).
  size_t bytes_read() const { return received_; }
  void reset_bytes_read() { received_ = 0; }

  // Waits until `events` are ready or the deadline passes.
  void wait(short events) {
    for (;;) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now());
      if (left.count() <= 0) throw HttpClientError(HttpClientError::Kind::timeout, "timed out");
      pollfd p{fd_, events, 0};
      int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r > 0) return;
      if (r == 0) throw HttpClientError(HttpClientError::Kind::timeout, "timed out");
      if (errno != EINTR) throw HttpClientError(HttpClientError::Kind::io, std::strerror(errno));
    }
  }

  template <class Buffers>
  size_t read_some(const Buffers& buffers, boost::system::error_code& ec) {
    auto b = *boost::asio::buffer_sequence_begin(buffers);
    for (;;) {
      ssize_t n = ::recv(fd_, b.data(), b.size(), 0);
      if (n > 0) {
        received_ += static_cast<size_t>(n);
        return static_cast<size_t>(n);
      }
      if (n == 0) {
        ec = boost::asio::error::eof;
        return 0;
      }
      if (errno == EAGAIN || errno == EINTR) {
        wait(POLLIN);
        continue;
      }
      ec = boost::system::error_code(errno, boost::system::system_category());
      return 0;
    }
  }
  template <class Buffers>
  size_t read_some(const Buffers& buffers) {
    boost::system::error_code ec;
    auto n = read_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers, boost::system::error_code& ec) {
    size_t total = 0;
    for (auto it = boost::asio::buffer_sequence_begin(buffers);
         it != boost::asio::buffer_sequence_end(buffers); ++it) {
      boost::asio::const_buffer b = *it;
      const char* p = static_cast<const char*>(b.data());
      size_t left = b.size();
      while (left > 0) {
        ssize_t n = ::send(fd_, p, left, MSG_NOSIGNAL);
        if (n > 0) {
          p += n;
          left -= static_cast<size_t>(n);
          total += static_cast<size_t>(n);
        } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
          wait(POLLOUT);
        } else {
          ec = boost::system::error_code(errno, boost::system::system_category());
          return total;
        }
      }
    }
    return total;
  }
  template <class Buffers>
  size_t write_some(const Buffers& buffers) {
    boost::system::error_code ec;
    auto n = write_some(buffers, ec);
    if (ec) throw boost::system::system_error(ec);
    return n;
  }
  // Beast's sync algorithms need an executor type only for trait checks.
  using executor_type = boost::asio::any_io_executor;

 private:
  int fd_ = -1;
  Clock::time_point deadline_{};
  size_t received_ = 0;
};

}  // namespace cp::http
