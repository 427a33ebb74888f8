// Which hall queue a terminal uses and whether it serves one, from its
// settings (queue.host, queue.host_terminal, queue.listen, queue.clients)
// and its enrolment: the composition root's one place for that choice.
#pragma once

#include <memory>

#include "base/result.h"
#include "hall/hall_server.h"
#include "queue/hall_queue.h"

namespace bianmin::config { class Config; }
namespace bianmin::store { class Store; }

namespace bianmin::sync::hall {

// queue.host empty: the queue in `s`; else the keeper's, over the hall LAN.
// "not_enrolled" when a remote queue is set but the terminal has no
// certificate yet; "input_invalid" when queue.host_terminal is missing.
Result<std::unique_ptr<queue::HallQueue>> open_hall_queue(store::Store& s, const config::Config& cfg);

// syncd: serves the queue in `s` at queue.listen; nullptr when it is empty.
Result<std::unique_ptr<HallServer>> serve_hall_queue(store::Store& s, const config::Config& cfg);

}  // namespace bianmin::sync::hall
