#include "idcard/reader_service.h"

#include "base/bytes.h"
#include "base/log.h"
#include "crypto/suite.h"

namespace bianmin::drivers::idcard {

using domain::IdCardEventKind;

ReaderService::ReaderService(std::unique_ptr<Transport> transport, domain::IdCardEventSink& sink,
                             ReaderServiceOptions options)
    : transport_(std::move(transport)),
      sink_(sink),
      options_(options),
      sam_(*transport_, options.sam),
      label_(transport_->describe()) {}

ReaderService::~ReaderService() { stop(); }

std::string ReaderService::reader() const {
  std::lock_guard lock(mu_);
  return label_;
}

void ReaderService::start() {
  if (worker_.joinable()) return;
  {
    std::lock_guard lock(mu_);
    stop_ = false;
  }
  worker_ = std::thread([this] { run(); });
}

void ReaderService::stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  transport_->close();
}

bool ReaderService::wait(Millis d) {
  std::unique_lock lock(mu_);
  return !cv_.wait_for(lock, d, [this] { return stop_; });
}

void ReaderService::emit(IdCardEventKind kind, std::optional<domain::IdentityCard> card, const Error* err) {
  domain::IdCardEvent e;
  e.kind = kind;
  e.card = std::move(card);
  e.reader = reader();
  if (err) {
    e.error_code = err->code;
    e.message = err->message;
  }
  log::info("idcard", domain::idcard_event_key(kind), {{"reader", e.reader}, {"error", e.error_code}});
  sink_.on_idcard_event(std::move(e));
}

std::string ReaderService::digest(const domain::IdentityCard& c) {
  // One buffer, reserved, wiped: the card's name and number are in it.
  std::string text;
  text.reserve(c.id_number.size() + c.name.size() + c.name_en.size() + c.valid_from.size() + 3);
  text.append(c.id_number).append(1, '\n').append(c.name).append(1, '\n').append(c.name_en).append(1, '\n');
  text.append(c.valid_from);
  std::string d = crypto::sha256_hex(text);
  secure_wipe(text);
  return d;
}

bool ReaderService::ensure_reader() {
  if (reader_ok_.value_or(false) && transport_->is_open()) return true;
  Status s = transport_->open();
  if (s) s = sam_.status_check();
  if (!s) {
    transport_->close();
    if (!reader_ok_.has_value() || *reader_ok_) emit(IdCardEventKind::reader_absent, std::nullopt, &s.error());
    reader_ok_ = false;
    return false;
  }
  {
    std::lock_guard lock(mu_);
    label_ = transport_->describe();
  }
  appended_unsupported_ = false;
  reader_ok_ = true;
  emit(IdCardEventKind::reader_present);
  return true;
}

void ReaderService::reader_lost(const Error& e) {
  transport_->close();
  if (card_state_ != CardState::none) {
    card_state_ = CardState::none;
    card_digest_.clear();
    emit(IdCardEventKind::card_removed);  // whatever lay on it is no longer known to be there
  }
  reader_ok_ = false;
  emit(IdCardEventKind::reader_absent, std::nullopt, &e);
}

bool ReaderService::handle_read(Result<domain::IdentityCard> r) {
  if (r) {
    card_digest_ = digest(*r);
    card_state_ = CardState::read;
    emit(IdCardEventKind::card_read, std::move(r).value());
    return true;
  }
  const Error& e = r.error();
  if (e.code.starts_with("reader_")) {
    reader_lost(e);
    return false;
  }
  if (card_state_ != CardState::failed) emit(IdCardEventKind::read_failed, std::nullopt, &e);
  card_state_ = CardState::failed;
  return false;
}

void ReaderService::poll_for_card() {
  auto found = sam_.find_card();
  if (!found) {
    if (found.error().code.starts_with("reader_")) return reader_lost(found.error());
    log::warn("idcard", "find card failed", {{"error", found.error().message}});
    return;
  }
  if (!*found) {
    if (card_state_ == CardState::failed) {
      card_state_ = CardState::none;
      emit(IdCardEventKind::card_removed);
    }
    return;
  }
  handle_read(sam_.read_card(options_.with_fingerprint));
}

// A read card may still lie on the reader. Readers refuse a second find
// until the card has been lifted (vendor note, spec §1.11), so ask for the
// appended address first: 90/91 means the same card is still in the field.
// Otherwise find: no card → removed; a card → read it and compare, which
// also catches a quick swap.
void ReaderService::check_presence() {
  if (!appended_unsupported_) {
    auto r = sam_.read_appended_address();
    if (r) return;  // same card, still there
    const std::string& code = r.error().code;
    if (code == "reader_not_answering" || code == "sam_command_error") appended_unsupported_ = true;
    else if (code.starts_with("reader_")) return reader_lost(r.error());
  }
  auto found = sam_.find_card();
  if (!found) {
    if (found.error().code.starts_with("reader_")) return reader_lost(found.error());
    return;
  }
  if (!*found) {
    card_state_ = CardState::none;
    card_digest_.clear();
    emit(IdCardEventKind::card_removed);
    return;
  }
  auto again = sam_.read_card(options_.with_fingerprint);
  if (again && digest(*again) == card_digest_) {
    again->wipe();
    return;
  }
  if (!again && again.error().code.starts_with("reader_")) return reader_lost(again.error());
  card_state_ = CardState::none;
  card_digest_.clear();
  emit(IdCardEventKind::card_removed);
  if (again) handle_read(std::move(again));
}

void ReaderService::run() {
  for (;;) {
    {
      std::lock_guard lock(mu_);
      if (stop_) return;
    }
    if (!ensure_reader()) {
      if (!wait(options_.reopen_interval)) return;
      continue;
    }
    if (card_state_ == CardState::read) {
      check_presence();
      if (!wait(options_.presence_interval)) return;
    } else {
      poll_for_card();
      if (!wait(options_.poll_interval)) return;
    }
  }
}

}  // namespace bianmin::drivers::idcard
