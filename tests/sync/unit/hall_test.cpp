// The hall's queue across terminals (sync/hall/): a keeper serves its
// tickets to the hall's other kiosks and counters over mutual TLS with the
// terminals' enrolment certificates; who may use it and whom to trust come
// from the central, never from the LAN.
#include <gtest/gtest.h>

#include "central_fixture.h"
#include "hall/hall_client.h"
#include "hall/hall_server.h"
#include "hall/hall_wire.h"
#include "queue/ticket_queue.h"

namespace bianmin::sync {
namespace {

using domain::TicketState;

domain::QueueLine line_a() {
  domain::QueueLine l;
  l.letter = "A";
  l.name = "综合受理";
  return l;
}

class Hall : public CentralSpec {
 protected:
  // Enrols the keeper (K01) and starts its hall server for `clients`.
  void keep(std::vector<std::string> clients) {
    enrolled("keeper", "620702-001-K01");
    keeper_ = enrolment_;
    keeper_store_ = std::move(store_);
    hall::ServerOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.clients = std::move(clients);
    o.store = keeper_store_->options();
    auto server = hall::HallServer::start(o, keeper_);
    ASSERT_TRUE(server.ok()) << server.error().message;
    server_hall_ = std::move(server).value();
    hall_url_ = "https://127.0.0.1:" + std::to_string(server_hall_->port());
  }
  // A terminal of the hall, enrolled with the same central.
  std::unique_ptr<hall::RemoteHallQueue> terminal(const std::string& id, const std::string& keeper_id = "620702-001-K01") {
    enrolled(id, id);
    return std::make_unique<hall::RemoteHallQueue>(hall_url_, keeper_id, trust_of(enrolment_));
  }

  Enrolment keeper_;
  std::unique_ptr<store::Store> keeper_store_;
  std::unique_ptr<hall::HallServer> server_hall_;
  std::string hall_url_;
};

TEST_F(Hall, AKioskIssuesACounterCallsAndTheKeeperHoldsOneLineForBoth) {
  keep({"620702-001-K02", "620702-001-K03"});
  auto kiosk = terminal("620702-001-K02");
  auto counter = terminal("620702-001-K03");

  auto first = kiosk->issue(line_a());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->number, "A001");
  auto second = counter->issue(line_a());  // a counter can issue too (queue take)
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->number, "A002");
  EXPECT_EQ(second->ahead, 1);

  // The keeper's own store has both, in one numbering.
  auto local = queue::LocalHallQueue(*keeper_store_).today({});
  ASSERT_TRUE(local.ok());
  ASSERT_EQ(local->size(), 2u);

  auto called = counter->call_next({"A"}, "3", "c007");
  ASSERT_TRUE(called.ok()) << called.error().message;
  ASSERT_TRUE(called->has_value());
  EXPECT_EQ((*called)->number, "A001");
  EXPECT_EQ((*called)->window_no, "3");
  EXPECT_EQ((*called)->state, TicketState::called);

  // Every screen of the hall shows the number called last.
  auto shown = kiosk->last_called();
  ASSERT_TRUE(shown.ok());
  ASSERT_TRUE(shown->has_value());
  EXPECT_EQ((*shown)->number, "A001");

  ASSERT_TRUE(counter->set_state((*called)->day, "A001", TicketState::served, "c007").ok());
  auto waiting = counter->waiting({"A"});
  ASSERT_TRUE(waiting.ok());
  ASSERT_EQ(waiting->size(), 1u);
  EXPECT_EQ(waiting->front().number, "A002");
  auto all = kiosk->today({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->front().state, TicketState::served);

  // An unknown ticket is "not_found", as it is locally.
  auto unknown = counter->set_state((*called)->day, "A099", TicketState::served, "c007");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, "not_found");

  // Two windows calling at once never get the same number.
  auto third = kiosk->issue(line_a());
  ASSERT_TRUE(third.ok());
  auto other_window = terminal("620702-001-K02");
  auto a = counter->call_next({"A"}, "3", "c007");
  auto b = other_window->call_next({"A"}, "4", "c008");
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_TRUE(a->has_value() && b->has_value());
  EXPECT_NE((*a)->number, (*b)->number);
  auto none = counter->call_next({"A"}, "3", "c007");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "nobody waits any more";
}

TEST_F(Hall, ATerminalNotListedInQueueClientsIsRefusedAndNothingIsIssued) {
  keep({"620702-001-K02"});
  auto stranger = terminal("620702-009-K05");
  auto t = stranger->issue(line_a());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "hall_refused") << t.error().message;
  auto local = queue::LocalHallQueue(*keeper_store_).today({});
  ASSERT_TRUE(local.ok());
  EXPECT_TRUE(local->empty());
}

TEST_F(Hall, AKeeperWhoseCertificateNamesAnotherTerminalIsNotTrusted) {
  keep({"620702-001-K02"});
  auto fooled = terminal("620702-001-K02", "620702-001-K09");  // expects K09, the server is K01
  auto t = fooled->issue(line_a());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "tls_untrusted") << t.error().message;
  EXPECT_NE(t.error().message.find("K01"), std::string::npos) << t.error().message;
  auto local = queue::LocalHallQueue(*keeper_store_).today({});
  ASSERT_TRUE(local.ok());
  EXPECT_TRUE(local->empty()) << "nothing was sent to a server it does not trust";
}

TEST_F(Hall, ATerminalOfAnotherCentralIsRefusedAtTheHandshake) {
  keep({"620702-001-K02"});
  // A second central (another CA) enrols a terminal with a listed id.
  TempDir other_dir;
  central::CentralOptions o;
  o.data_dir = other_dir.file("central");
  auto other = central::Central::open(o);
  ASSERT_TRUE(other.ok());
  auto port = (*other)->bind("127.0.0.1", 0);
  ASSERT_TRUE(port.ok());
  std::thread serve([&] { (*other)->serve(); });
  auto store = testing::open_store(other_dir);
  auto code = (*other)->add_enrollment_code("620702-001-K02", "620702", "别的大厅", "", 1);
  ASSERT_TRUE(code.ok());
  EnrolRequest req{"https://127.0.0.1:" + std::to_string(*port), *code, "", (*other)->ca_pem(), "x", "m", "0.1.0", {}};
  auto e = enrol(*store, req);
  (*other)->stop();
  serve.join();
  ASSERT_TRUE(e.ok()) << e.error().message;

  // It trusts only its own CA, so it does not trust the keeper either; give
  // it the keeper's CA as well to see the keeper refuse its certificate.
  TlsTrust trust = trust_of(*e);
  trust.ca_pem += keeper_.ca_pem;
  hall::RemoteHallQueue impostor(hall_url_, "620702-001-K01", trust);
  auto t = impostor.issue(line_a());
  ASSERT_FALSE(t.ok());
  EXPECT_TRUE(t.error().code == "tls_failed" || t.error().code == "interrupted") << t.error().code << ": " << t.error().message;
  auto local = queue::LocalHallQueue(*keeper_store_).today({});
  ASSERT_TRUE(local.ok());
  EXPECT_TRUE(local->empty());
}

TEST_F(Hall, AKeeperThatIsOffIsUnreachableWithinSeconds) {
  keep({"620702-001-K02"});
  auto kiosk = terminal("620702-001-K02");
  server_hall_.reset();  // switched off
  const auto t0 = std::chrono::steady_clock::now();
  auto t = kiosk->issue(line_a());
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "unreachable") << t.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
}

TEST(HallWire, RequestsAndAnswersRoundTripAndBadOnesAreRefusedByName) {
  auto call = hall::parse_call_request(hall::encode(hall::CallRequest{{"A", "B"}, "3", "c007"}));
  ASSERT_TRUE(call.ok());
  EXPECT_EQ(call->lines, (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(call->window_no, "3");

  auto state = hall::parse_state_request(hall::encode(hall::StateRequest{"2026-12-07", "A001", "c007", TicketState::no_show}));
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->state, TicketState::no_show);

  domain::Ticket t;
  t.number = "B012";
  t.line = "B";
  t.seq = 12;
  t.line_name = "社保医保";
  t.day = "2026-12-07";
  t.issued_at = "2026-12-07T09:01:02+08:00";
  t.ahead = 3;
  auto back = hall::parse_answer(hall::encode_answer(t));
  ASSERT_TRUE(back.ok());
  ASSERT_TRUE(back->has_value());
  EXPECT_EQ((*back)->number, "B012");
  EXPECT_EQ((*back)->ahead, 3);
  auto empty = hall::parse_answer(R"({"ticket":null})");
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());

  for (const char* bad : {R"({"line":"a","line_name":"x"})", R"({"line":"AB","line_name":"x"})", R"({"line":"A"})",
                          R"([1])", "", R"({"line":"A","line_name":""})"})
    EXPECT_FALSE(hall::parse_issue_request(bad).ok()) << bad;
  // "called" is what a call does: a window cannot set it.
  EXPECT_FALSE(hall::parse_state_request(R"({"day":"2026-12-07","number":"A001","state":"called","clerk_id":"c"})").ok());
  // A ticket whose number is not its line's, or whose day is no date.
  EXPECT_FALSE(hall::parse_ticket(R"({"number":"B001","line":"A","line_name":"x","day":"2026-12-07","issued_at":"t","ahead":0,"state":"waiting"})").ok());
  EXPECT_FALSE(hall::parse_ticket(R"({"number":"A001","line":"A","line_name":"x","day":"tomorrow!!","issued_at":"t","ahead":0,"state":"waiting"})").ok());
  EXPECT_FALSE(hall::parse_ticket(R"({"number":"A001","line":"A","line_name":"x","day":"2026-12-07","issued_at":"t","ahead":-1,"state":"waiting"})").ok());
  EXPECT_FALSE(hall::parse_letters("A,b").ok());
  EXPECT_FALSE(hall::parse_letters("A,,B").ok());
  EXPECT_EQ(*hall::parse_letters("A,B"), (std::vector<std::string>{"A", "B"}));
  // Nesting is bounded before anything is built.
  EXPECT_FALSE(hall::parse_list(std::string(100000, '[')).ok());
}

TEST(HallWire, ListenAndClientsSettingsAreRead) {
  hall::ServerOptions o;
  ASSERT_TRUE(hall::parse_listen("0.0.0.0:8471", o).ok());
  EXPECT_EQ(o.host, "0.0.0.0");
  EXPECT_EQ(o.port, 8471);
  EXPECT_FALSE(hall::parse_listen("8471", o).ok());
  EXPECT_FALSE(hall::parse_listen("0.0.0.0:99999", o).ok());
  EXPECT_FALSE(hall::parse_listen("0.0.0.0:", o).ok());
  EXPECT_EQ(hall::parse_clients(" 620702-001-K02, 620702-001-K03 ,"),
            (std::vector<std::string>{"620702-001-K02", "620702-001-K03"}));
}

}  // namespace
}  // namespace bianmin::sync
