#pragma once
// Runs a blocking function on a thread pool and resumes the awaiting coroutine on its own
// executor with the result (or the exception). Keeps libpq/Argon2/handler work off I/O threads.
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <type_traits>

namespace cp {

template <class F, class R = std::invoke_result_t<F>>
boost::asio::awaitable<R> offload(boost::asio::thread_pool& pool, F fn) {
  auto initiate = [&pool](auto handler, F f) {
    boost::asio::post(pool, [h = std::move(handler), f = std::move(f)]() mutable {
      std::exception_ptr error;
      R result{};
      try {
        result = f();
      } catch (...) {
        error = std::current_exception();
      }
      auto ex = boost::asio::get_associated_executor(h);
      boost::asio::dispatch(ex, [h = std::move(h), error, r = std::move(result)]() mutable {
        std::move(h)(error, std::move(r));
      });
    });
  };
  co_return co_await boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                                 void(std::exception_ptr, R)>(
      initiate, boost::asio::use_awaitable, std::move(fn));
}

}  // namespace cp
