#pragma once
// Blocking TCP helpers for the handshake phase (before AdbMux takes the socket over).
#include <cstdint>
#include <span>
#include <string>

#include "android/adb/adb_packet.h"
#include "android/adb/adb_stream.h"

namespace cp::adb {

// Connects with a timeout; returns the fd or throws AdbError.
int tcp_connect(const std::string& host, uint16_t port, Millis timeout);
// Writes everything (MSG_NOSIGNAL); false when the peer is gone.
bool send_all(int fd, std::span<const uint8_t> data);
// Reads until the parser yields a message; throws AdbError on EOF, error or timeout.
AdbMessage read_message(int fd, PacketParser& parser, Millis timeout);

}  // namespace cp::adb
