/* libh2: names and wire codes of the library's status codes. */
#include "h2_status.h"

/*@ assigns \nothing;
    ensures \result != \null;
*/
const char *h2_status_name(h2_status status)
{
    switch (status) {
    case H2_OK: return "H2_OK";
    case H2_E_INCOMPLETE: return "H2_E_INCOMPLETE";
    case H2_E_BUFFER_TOO_SMALL: return "H2_E_BUFFER_TOO_SMALL";
    case H2_E_WOULD_BLOCK: return "H2_E_WOULD_BLOCK";
    case H2_E_INVALID_ARGUMENT: return "H2_E_INVALID_ARGUMENT";
    case H2_E_PROTOCOL: return "H2_E_PROTOCOL";
    case H2_E_FRAME_SIZE: return "H2_E_FRAME_SIZE";
    case H2_E_FLOW_CONTROL: return "H2_E_FLOW_CONTROL";
    case H2_E_STREAM_CLOSED: return "H2_E_STREAM_CLOSED";
    case H2_E_NO_SUCH_STREAM: return "H2_E_NO_SUCH_STREAM";
    case H2_E_TOO_MANY_STREAMS: return "H2_E_TOO_MANY_STREAMS";
    case H2_E_STREAM_ID_TOO_LOW: return "H2_E_STREAM_ID_TOO_LOW";
    case H2_E_NO_AVAILABLE_STREAM_ID: return "H2_E_NO_AVAILABLE_STREAM_ID";
    case H2_E_INVALID_SETTINGS_VALUE: return "H2_E_INVALID_SETTINGS_VALUE";
    case H2_E_DENIAL_OF_SERVICE: return "H2_E_DENIAL_OF_SERVICE";
    case H2_E_INVALID_BODY_LENGTH: return "H2_E_INVALID_BODY_LENGTH";
    case H2_E_COMPRESSION: return "H2_E_COMPRESSION";
    case H2_E_HPACK_INVALID_INDEX: return "H2_E_HPACK_INVALID_INDEX";
    case H2_E_HPACK_INVALID_TABLE_SIZE: return "H2_E_HPACK_INVALID_TABLE_SIZE";
    case H2_E_HPACK_HEADER_LIST_TOO_LARGE: return "H2_E_HPACK_HEADER_LIST_TOO_LARGE";
    case H2_E_CONNECTION_CLOSED: return "H2_E_CONNECTION_CLOSED";
    default: return "H2_E_UNKNOWN";
    }
}

/*@ assigns \nothing;
    ensures \result <= 0xd;
*/
uint32_t h2_status_error_code(h2_status status)
{
    switch (status) {
    case H2_OK:
        return (uint32_t)H2_NO_ERROR;
    case H2_E_FRAME_SIZE:
        return (uint32_t)H2_FRAME_SIZE_ERROR;
    case H2_E_FLOW_CONTROL:
        return (uint32_t)H2_FLOW_CONTROL_ERROR;
    case H2_E_STREAM_CLOSED:
        return (uint32_t)H2_STREAM_CLOSED;
    case H2_E_TOO_MANY_STREAMS:
        return (uint32_t)H2_REFUSED_STREAM;
    case H2_E_DENIAL_OF_SERVICE:
        return (uint32_t)H2_ENHANCE_YOUR_CALM;
    case H2_E_COMPRESSION:
    case H2_E_HPACK_INVALID_INDEX:
    case H2_E_HPACK_INVALID_TABLE_SIZE:
        return (uint32_t)H2_COMPRESSION_ERROR;
    case H2_E_INCOMPLETE:
    case H2_E_BUFFER_TOO_SMALL:
    case H2_E_WOULD_BLOCK:
    case H2_E_INVALID_ARGUMENT:
    case H2_E_CONNECTION_CLOSED:
        return (uint32_t)H2_INTERNAL_ERROR;
    default:
        return (uint32_t)H2_PROTOCOL_ERROR;
    }
}
