// Errors that cross a module boundary are values, not exceptions.
//
// Result<T> holds either a T or an Error. Error.code is a stable snake_case
// identifier that callers and tests switch on; Error.message is for people.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace bianmin {

struct Error {
  std::string code;
  std::string message;

  // Prefixes context to the message ("store: open: disk full").
  Error& context(const std::string& where) {
    message = where + ": " + message;
    return *this;
  }
};

inline Error make_error(std::string code, std::string message) {
  return Error{std::move(code), std::move(message)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}      // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { assert(ok()); return std::get<0>(v_); }
  const T& value() const& { assert(ok()); return std::get<0>(v_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(v_); }
  Error&& take_error() { assert(!ok()); return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const { assert(failed_); return err_; }
  Error&& take_error() { assert(failed_); return std::move(err_); }

 private:
  Error err_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace bianmin

#define BIANMIN_CONCAT_INNER(a, b) a##b
#define BIANMIN_CONCAT(a, b) BIANMIN_CONCAT_INNER(a, b)

// Propagates an error from an expression returning Result<...>. The
// variable is named per line so that nested uses (a BIANMIN_TRY inside a
// lambda inside a BIANMIN_TRY) do not shadow each other.
#define BIANMIN_TRY(expr) BIANMIN_TRY_IMPL(BIANMIN_CONCAT(bianmin_try_, __LINE__), expr)
#define BIANMIN_TRY_IMPL(tmp, expr)              \
  do {                                           \
    auto tmp = (expr);                           \
    if (!tmp) return tmp.take_error();           \
  } while (0)
// Binds the value of a Result<T> expression to `lhs`, or returns its error.
#define BIANMIN_ASSIGN(lhs, expr) \
  BIANMIN_ASSIGN_IMPL(BIANMIN_CONCAT(bianmin_assign_, __LINE__), lhs, expr)
#define BIANMIN_ASSIGN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                        \
  if (!tmp) return tmp.take_error();        \
  lhs = std::move(tmp).value()
