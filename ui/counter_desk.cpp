#include "counter_desk.h"

#include "access/clerk_accounts.h"
#include "base/bytes.h"
#include "base/log.h"
#include "queue/ticket_queue.h"

namespace bianmin::ui {
namespace {

// Residents take numbers at the kiosk while the clerk works: the line is
// read again this often (one indexed query).
constexpr std::chrono::seconds kLinePoll{2};

}  // namespace

CounterDesk::CounterDesk(store::StoreOptions store, std::vector<std::string> lines, Inbox& inbox)
    : store_options_(std::move(store)), lines_(std::move(lines)), inbox_(inbox) {
  poller_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      worker_.post([this] { push_line(); });
      lock.lock();
      cv_.wait_for(lock, kLinePoll, [this] { return stop_; });
    }
  });
}

CounterDesk::~CounterDesk() { stop(); }

void CounterDesk::stop() {
  {
    std::lock_guard lock(mu_);
    if (stop_ && !poller_.joinable()) return;
    stop_ = true;
  }
  cv_.notify_all();
  if (poller_.joinable()) poller_.join();
  worker_.stop();
}

store::Store* CounterDesk::store() {
  if (!store_) {
    auto s = store::Store::open(store_options_);
    if (!s) {
      log::error("counter", "store unavailable", {{"error", s.error().code}});
      return nullptr;
    }
    store_ = std::move(*s);
  }
  return store_.get();
}

void CounterDesk::carry_out(const session::DoCheckClerkPin& e) {
  auto job = std::make_shared<session::DoCheckClerkPin>(e);
  worker_.post([this, job] {
    session::ClerkChecked answer;
    if (store::Store* s = store()) {
      auto check = access::ClerkAccounts(*s).check(job->clerk_id, job->pin, time::Clock::now());
      if (check) {
        answer = {check->ok, check->clerk_id, check->name, check->attempts_left, check->locked_for_s, check->disabled};
      } else {
        log::error("counter", "clerk check failed", {{"error", check.error().code}});
      }
    }
    secure_wipe(job->pin);
    inbox_.push(session::ClerkInput{std::move(answer)});
  });
}

void CounterDesk::carry_out(const session::DoCallNextTicket& e) {
  worker_.post([this, e] {
    session::TicketCalled answer;
    if (store::Store* s = store()) {
      auto called = queue::TicketQueue(*s).call_next(e.lines, e.window_no, e.clerk_id, time::Clock::now());
      if (called) answer.ticket = *called;
      else log::error("counter", "call next failed", {{"error", called.error().code}});
    }
    inbox_.push(session::ClerkInput{std::move(answer)});
    push_line();
  });
}

void CounterDesk::carry_out(const session::DoSetTicketState& e) {
  worker_.post([this, e] {
    if (store::Store* s = store()) {
      if (auto st = queue::TicketQueue(*s).set_state(e.day, e.number, e.state, e.clerk_id); !st)
        log::error("counter", "ticket not updated", {{"ticket", e.number}, {"error", st.error().code}});
    }
    push_line();
  });
}

void CounterDesk::refresh_line() {
  worker_.post([this] {
    last_line_.clear();  // the view was reset (a sign-in): send it whole
    push_line();
  });
}

void CounterDesk::push_line() {
  store::Store* s = store();
  if (!s) return;
  auto waiting = queue::TicketQueue(*s).waiting(time::Clock::now(), lines_);
  if (!waiting) return;
  std::vector<std::string> numbers;
  for (const auto& t : *waiting) numbers.push_back(t.number);
  if (numbers == last_line_) return;  // nothing new: no redraw
  last_line_ = std::move(numbers);
  inbox_.push(session::ClerkInput{session::WaitingLine{std::move(*waiting)}});
}

}  // namespace bianmin::ui
