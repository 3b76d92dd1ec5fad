#pragma once
// `cloudphone media-worker --fd N`: one WebRTC viewer in a process of its own. GStreamer 1.22's
// webrtcbin can abort the whole process (e.g. an assertion on a rejected m-line), so the media
// service never loads it: each viewer's peer connection runs here, fed the device's H.264
// access units and the browser's signalling over the socket N (webrtc_wire.h). When the socket
// closes the worker exits; when the worker dies only that viewer's WebRTC session ends.
namespace CLI {
class App;
}

namespace cp::media {

int run_webrtc_worker(int fd);
void add_webrtc_worker_cli(CLI::App& app, int& exit_code);

}  // namespace cp::media
