// `bianmin syncd`: the sync daemon. One thread per lane (probe, upload,
// catalogue, status, feedback, audit, heartbeat, retention, update), each with its
// own store connection; a wake socket (<data_dir>/syncd.sock) the kiosk
// pokes after queueing something; SIGTERM/SIGINT stop it cleanly (a
// transfer in flight is aborted, which is safe: every call is idempotent).
#pragma once

#include "base/result.h"
#include "client/settings.h"
#include "store/store.h"

namespace bianmin::sync {

// Runs until a signal arrives. Errors only for what makes running
// impossible ("busy": another syncd owns this data directory).
Status run_daemon(const SyncSettings& settings, const store::StoreOptions& store_options);

}  // namespace bianmin::sync
