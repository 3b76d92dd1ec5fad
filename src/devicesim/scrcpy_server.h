#pragma once
// scrcpy-server behaviour of the simulated device: what `app_process / com.genymobile.scrcpy.Server
// 3.x key=value...` does on a real Android device (protocols.md §6). serve() opens the sockets
// (forward tunnel: listens on localabstract:scrcpy_<scid>; reverse: connects to it), sends the
// dummy byte, device meta and codec meta, streams H.264 from the Screen at the configured rate,
// applies control messages and answers clipboard requests. It blocks until the client closes a
// socket or the shell stream is cancelled, then unregisters. Several sessions may run at once.
#include <string>
#include <vector>

#include "devicesim/device.h"

namespace cp::devicesim {

struct ShellIo;
class Screen;

class ScrcpyServer {
 public:
  explicit ScrcpyServer(SimulatedDevice&);
  // Without a SimulatedDevice (tests, benchmarks): the parts the server uses.
  ScrcpyServer(Screen& screen, AbstractSockets& sockets, DeviceConfig config);

  // args: what follows the class name (`3.3.4 scid=... ...`), or the whole command line.
  // Logs go to io.out like the real server's; returns the exit code.
  int serve(const std::vector<std::string>& args, ShellIo& io);

 private:
  Screen& screen();
  AbstractSockets& sockets();

  SimulatedDevice* device_ = nullptr;
  Screen* screen_ = nullptr;
  AbstractSockets* sockets_ = nullptr;
  DeviceConfig config_;
};

}  // namespace cp::devicesim
