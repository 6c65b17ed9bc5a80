/*
 * libh2: a sans-IO HTTP/2 protocol stack. The one header users include.
 */
#ifndef H2_H
#define H2_H

#include "h2_config.h"
#include "h2_status.h"
#include "h2_frame.h"
#include "h2_hpack.h"
#include "h2_settings.h"
#include "h2_window.h"
#include "h2_stream.h"
#include "h2_headers.h"
#include "h2_conn.h"

#define H2_VERSION_STRING "0.1.0"

#endif
