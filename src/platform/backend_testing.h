// Test access to the Redis and RabbitMQ servers the fixtures start (scripts/test-servers/
// redis.sh, rabbitmq.sh): URLs from $CP_TEST_REDIS_URL / $CP_TEST_AMQP_URL or the fixtures' env
// files under $CP_TEST_ENV_DIR. Throws (failing the test) when neither is there: a redis or
// rabbitmq test never passes without its server.
#pragma once

#include <string>

namespace cp::testing_env {

std::string test_redis_url();
std::string test_amqp_url();
// A name unique to this test run ("t" + time + random), for key prefixes and queue names.
std::string unique_name(const std::string& prefix);

}  // namespace cp::testing_env
