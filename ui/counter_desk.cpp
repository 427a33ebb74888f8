#include "counter_desk.h"

#include "access/clerk_accounts.h"
#include "base/bytes.h"
#include "base/log.h"

namespace bianmin::ui {
namespace {

// Residents take numbers at the kiosk while the clerk works: the line is
// read again this often (one indexed query).
constexpr std::chrono::seconds kLinePoll{2};

}  // namespace

CounterDesk::CounterDesk(const config::Config& cfg, std::vector<std::string> lines, Inbox& inbox)
    : store_options_(store::StoreOptions::from(cfg)), lines_(std::move(lines)), inbox_(inbox), hall_(cfg) {
  poller_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      // One poll at a time: a keeper that answers slowly gets no backlog.
      if (!line_pending_.exchange(true)) hall_worker_.post([this] {
          push_line();
          line_pending_ = false;
        });
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
  hall_worker_.stop();
}

store::Store* CounterDesk::store(std::unique_ptr<store::Store>& slot) {
  if (!slot) {
    auto s = store::Store::open(store_options_);
    if (!s) {
      log::error("counter", "store unavailable", {{"error", s.error().code}});
      return nullptr;
    }
    slot = std::move(*s);
  }
  return slot.get();
}

queue::HallQueue* CounterDesk::hall() {
  store::Store* s = store(hall_store_);
  return s ? hall_.get(*s) : nullptr;
}

void CounterDesk::carry_out(const session::DoCheckClerkPin& e) {
  auto job = std::make_shared<session::DoCheckClerkPin>(e);
  worker_.post([this, job] {
    session::ClerkChecked answer;
    if (store::Store* s = store(store_)) {
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
  hall_worker_.post([this, e] {
    session::TicketCalled answer;
    answer.queue_unreachable = true;
    if (queue::HallQueue* q = hall()) {
      auto called = q->call_next(e.lines, e.window_no, e.clerk_id);
      if (called) {
        answer = {*called, false};
        hall_.succeeded();
      } else {
        hall_.failed("call_next", called.error());
      }
    }
    inbox_.push(session::ClerkInput{std::move(answer)});
    push_line();
  });
}

void CounterDesk::carry_out(const session::DoSetTicketState& e) {
  hall_worker_.post([this, e] {
    if (queue::HallQueue* q = hall()) {
      if (auto st = q->set_state(e.day, e.number, e.state, e.clerk_id); !st)
        log::error("counter", "ticket not updated", {{"ticket", e.number}, {"error", st.error().code}});
    }
    push_line();
  });
}

void CounterDesk::refresh_line() {
  hall_worker_.post([this] {
    last_line_.clear();  // the view was reset (a sign-in): send it whole
    last_line_unknown_ = false;
    push_line();
  });
}

void CounterDesk::push_line() {
  queue::HallQueue* q = hall();
  auto waiting = q ? q->waiting(lines_) : Result<std::vector<domain::Ticket>>(make_error("unreachable", "no queue"));
  if (!waiting) {
    if (q) hall_.failed("waiting", waiting.error());
    if (last_line_unknown_) return;  // said already
    last_line_unknown_ = true;
    inbox_.push(session::ClerkInput{session::WaitingLine{{}, true}});
    return;
  }
  hall_.succeeded();
  if (last_line_unknown_) last_line_.clear();  // send it whole again
  last_line_unknown_ = false;
  std::vector<std::string> numbers;
  for (const auto& t : *waiting) numbers.push_back(t.number);
  if (numbers == last_line_) return;  // nothing new: no redraw
  last_line_ = std::move(numbers);
  inbox_.push(session::ClerkInput{session::WaitingLine{std::move(*waiting)}});
}

}  // namespace bianmin::ui
