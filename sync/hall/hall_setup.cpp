#include "hall/hall_setup.h"

#include "client/enrolment.h"
#include "config/config.h"
#include "hall/hall_client.h"
#include "store/store.h"

namespace bianmin::sync::hall {
namespace {

Result<Enrolment> enrolment_for(store::Store& s, const char* what) {
  auto e = load_enrolment(s);
  if (!e) return e.error();
  if (!*e)
    return make_error("not_enrolled", std::string(what) +
                                          " uses the terminal's enrolment certificate: enrol it first (bianmin enroll)");
  return **e;
}

}  // namespace

Result<std::unique_ptr<queue::HallQueue>> open_hall_queue(store::Store& s, const config::Config& cfg) {
  const std::string host = cfg.str("queue.host");
  if (host.empty()) return std::unique_ptr<queue::HallQueue>(std::make_unique<queue::LocalHallQueue>(s));
  const std::string host_terminal = cfg.str("queue.host_terminal");
  if (host_terminal.empty())
    return make_error("input_invalid", "queue.host is set but queue.host_terminal (the id of the terminal there) is not");
  BIANMIN_ASSIGN(Enrolment self, enrolment_for(s, "queue.host"));
  return std::unique_ptr<queue::HallQueue>(std::make_unique<RemoteHallQueue>(host, host_terminal, trust_of(self)));
}

Result<std::unique_ptr<HallServer>> serve_hall_queue(store::Store& s, const config::Config& cfg) {
  const std::string listen = cfg.str("queue.listen");
  if (listen.empty()) return std::unique_ptr<HallServer>();
  ServerOptions options;
  BIANMIN_TRY(parse_listen(listen, options));
  options.clients = parse_clients(cfg.str("queue.clients"));
  options.store = s.options();
  BIANMIN_ASSIGN(Enrolment self, enrolment_for(s, "queue.listen"));
  return HallServer::start(options, self);
}

}  // namespace bianmin::sync::hall
