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

// Deliberately not a coroutine itself: GCC 12 mis-handles the lifetime of coroutine parameters
// initialised from temporaries (a capturing lambda was destroyed twice, dropping a shared_ptr
// reference too many and freeing the pipeline under the server). async_initiate stores the
// function in the awaitable it returns, which owns it until the pool has run it.
template <class F, class R = std::invoke_result_t<F>>
boost::asio::awaitable<R> offload(boost::asio::thread_pool& pool, F fn) {
  auto initiate = [pool_ptr = &pool](auto handler, F f) {
    boost::asio::post(*pool_ptr, [h = std::move(handler), f = std::move(f)]() mutable {
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
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable),
                                     void(std::exception_ptr, R)>(
      initiate, boost::asio::use_awaitable, std::move(fn));
}

}  // namespace cp
