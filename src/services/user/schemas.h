#pragma once
// Response bodies of the user service as published in /openapi.json (views.cpp builds them;
// the strict response check in tests keeps the two equal).
#include "core/schema.h"

namespace cp::user {

http::Schema user_schema();
http::Schema role_schema();
http::Schema permission_schema();
http::Schema api_key_schema();
http::Schema created_api_key_schema();
http::Schema audit_entry_schema();
http::Schema quota_schema();
http::Schema session_response_schema();
http::Schema totp_setup_schema();
http::Schema identity_schema();
// {items: [item]} for the short, unpaged lists (roles, permissions, own API keys).
http::Schema list_of(http::Schema item);

}  // namespace cp::user
