// The reader's UART (or a USB-serial bridge, or a pty): raw 8N1 at a chosen
// rate, opened non-blocking and waited on with poll() so that every read has
// a deadline. The port is locked with flock() so that a technician's
// `bianmin idcard read` cannot interleave frames with the kiosk's reader
// service; the lock dies with the process.
#pragma once

#include "idcard/transport.h"

namespace bianmin::drivers::idcard {

class SerialTransport final : public Transport {
 public:
  SerialTransport(std::string path, int baud);
  ~SerialTransport() override;
  SerialTransport(const SerialTransport&) = delete;
  SerialTransport& operator=(const SerialTransport&) = delete;

  Status open() override;
  void close() override;
  bool is_open() const override { return fd_ >= 0; }
  Status send_frame(std::span<const uint8_t> frame, Millis timeout) override;
  Status receive(std::vector<uint8_t>& out, Millis timeout) override;
  void discard_input() override;
  int baud() const override { return baud_; }
  std::string describe() const override;

  // Changes the local line rate (after the reader accepted 60 xx).
  Status set_baud(int baud);

 private:
  Error io_error(std::string_view op, int err);
  std::string path_;
  int baud_;
  int fd_ = -1;
};

// Whether termios knows this rate.
bool is_supported_baud(int baud);

}  // namespace bianmin::drivers::idcard
