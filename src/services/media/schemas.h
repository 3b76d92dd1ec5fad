#pragma once
// Response bodies of the media service as published in /openapi.json.
#include "core/schema.h"

namespace cp::media {

http::Schema stream_session_schema();          // GET /streams items, POST …/control
http::Schema opened_stream_session_schema();   // POST /streams, POST /devices/{id}/stream
http::Schema stream_session_list_schema();     // GET /streams
http::Schema device_streams_schema();          // GET /devices/{id}/stream
http::Schema stream_settings_schema();         // GET settings
http::Schema stream_settings_result_schema();  // PUT settings
http::Schema recording_schema();
http::Schema recording_list_schema();

}  // namespace cp::media
