// The USB wirings without hardware: descriptor matching on hand-made
// descriptors, and whole card reads through UsbFraming over a fake link
// whose endpoints behave like the two kinds of reader, with the simulator's
// engine answering.
#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <thread>

#include "idcard/sam_reader.h"
#include "idcard/sim_engine.h"
#include "idcard/usb_framing.h"
#include "idcard_sim_fixture.h"

namespace bianmin::drivers::idcard {
namespace {

libusb_endpoint_descriptor ep(uint8_t address, uint8_t type = LIBUSB_TRANSFER_TYPE_BULK, uint16_t size = 64) {
  libusb_endpoint_descriptor e{};
  e.bLength = LIBUSB_DT_ENDPOINT_SIZE;
  e.bDescriptorType = LIBUSB_DT_ENDPOINT;
  e.bEndpointAddress = address;
  e.bmAttributes = type;
  e.wMaxPacketSize = size;
  return e;
}

struct Config {
  std::vector<std::vector<libusb_endpoint_descriptor>> eps;
  std::vector<libusb_interface_descriptor> alts;
  std::vector<libusb_interface> itfs;
  libusb_config_descriptor cfg{};
  Config(std::vector<std::pair<uint8_t, std::vector<libusb_endpoint_descriptor>>> spec) {
    eps.reserve(spec.size());
    for (auto& [cls, e] : spec) eps.push_back(e);
    for (std::size_t i = 0; i < spec.size(); ++i) {
      libusb_interface_descriptor d{};
      d.bInterfaceNumber = static_cast<uint8_t>(i);
      d.bInterfaceClass = spec[i].first;
      d.bNumEndpoints = static_cast<uint8_t>(eps[i].size());
      d.endpoint = eps[i].data();
      alts.push_back(d);
    }
    for (auto& a : alts) itfs.push_back(libusb_interface{&a, 1});
    cfg.bNumInterfaces = static_cast<uint8_t>(itfs.size());
    cfg.interface = itfs.data();
  }
};

TEST(IdcardUsbLayout, TheFourSamEndpointsWin) {
  Config c({{0xFF, {ep(0x01), ep(0x82)}}, {0x00, {ep(0x02), ep(0x06), ep(0x81), ep(0x85)}}});
  auto l = choose_usb_layout(c.cfg, nullptr);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->wiring, UsbWiring::sam_four_endpoints);
  EXPECT_EQ(l->interface, 1);
  EXPECT_EQ(l->out.address, 0x02);
  EXPECT_EQ(l->body_out.address, 0x06);
  EXPECT_EQ(l->in.address, 0x81);
  EXPECT_EQ(l->body_in.address, 0x85);
}

TEST(IdcardUsbLayout, AVendorClassPairWithInterruptEndpoints) {
  Config c({{0x03, {ep(0x83, LIBUSB_TRANSFER_TYPE_INTERRUPT, 8)}},
            {0xFF, {ep(0x84, LIBUSB_TRANSFER_TYPE_INTERRUPT), ep(0x03, LIBUSB_TRANSFER_TYPE_INTERRUPT)}}});
  std::string classes;
  auto l = choose_usb_layout(c.cfg, &classes);
  ASSERT_TRUE(l);
  EXPECT_EQ(l->wiring, UsbWiring::bulk_pair);
  EXPECT_EQ(l->interface, 1);
  EXPECT_EQ(l->in.address, 0x84);
  EXPECT_TRUE(l->in.interrupt);
  EXPECT_EQ(l->out.address, 0x03);
  EXPECT_EQ(classes, "03 ff ");
}

TEST(IdcardUsbLayout, CcidAndCdcAreNotTaken) {
  Config ccid({{0x0B, {ep(0x01), ep(0x82), ep(0x83, LIBUSB_TRANSFER_TYPE_INTERRUPT)}}});
  EXPECT_FALSE(choose_usb_layout(ccid.cfg, nullptr));
  Config cdc({{0x02, {ep(0x83, LIBUSB_TRANSFER_TYPE_INTERRUPT)}}, {0x0A, {ep(0x01), ep(0x82)}}});
  EXPECT_FALSE(choose_usb_layout(cdc.cfg, nullptr));
  Config vendor_one_way({{0xFF, {ep(0x81)}}});
  EXPECT_FALSE(choose_usb_layout(vendor_one_way.cfg, nullptr));
}

// A reader behind USB endpoints: OUT transfers are checked against the
// wiring's rules, then fed to the simulator's engine; its replies come back
// on the IN endpoints the wiring says.
class FakeUsbReader : public UsbLink {
 public:
  explicit FakeUsbReader(UsbLayout l) : layout_(l) {}
  SimEngine engine;
  std::size_t out_transfers = 0, in_transfers = 0, largest_in = 0;
  std::string violation;

  Status transfer_out(const UsbEndpoint& e, std::span<const uint8_t> b, Millis) override {
    ++out_transfers;
    if (b.size() > e.max_packet) violation = "OUT transfer larger than a packet";
    if (layout_.wiring == UsbWiring::bulk_pair) {
      if (e.address != layout_.out.address) violation = "wrong OUT endpoint";
      deliver(engine.feed(b));
      return {};
    }
    // Four endpoints: header on 0x02 first, then the rest on 0x06.
    if (e.address == 0x02) {
      if (!pending_body_.empty() || header_.size() + b.size() > kHeaderSize) violation = "header endpoint misuse";
      header_.insert(header_.end(), b.begin(), b.end());
    } else if (e.address == 0x06) {
      if (header_.size() != kHeaderSize) violation = "body before a whole header";
      pending_body_.insert(pending_body_.end(), b.begin(), b.end());
      const std::size_t len = (std::size_t{header_[5]} << 8) | header_[6];
      if (pending_body_.size() == len) {
        Bytes frame = header_;
        frame.insert(frame.end(), pending_body_.begin(), pending_body_.end());
        header_.clear();
        pending_body_.clear();
        deliver(engine.feed(frame));
      }
    } else {
      violation = "wrong OUT endpoint";
    }
    return {};
  }

  Status transfer_in(const UsbEndpoint& e, std::size_t want, std::vector<uint8_t>& out, Millis) override {
    ++in_transfers;
    std::deque<uint8_t>* q = &in_;
    if (layout_.wiring == UsbWiring::sam_four_endpoints) {
      q = e.address == 0x81 ? &in_header_ : e.address == 0x85 ? &in_body_ : nullptr;
      if (!q) violation = "wrong IN endpoint";
      if (!q) return {};
    }
    // One transfer returns at most the packets asked for.
    const std::size_t cap = std::max<std::size_t>(1, (want + e.max_packet - 1) / e.max_packet) * e.max_packet;
    if (q->empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));  // a transfer waits
    std::size_t n = 0;
    for (; n < cap && !q->empty(); ++n) {
      out.push_back(q->front());
      q->pop_front();
    }
    largest_in = std::max(largest_in, n);
    return {};
  }

 private:
  void deliver(const std::vector<SimReply>& replies) {
    for (const SimReply& r : replies) {
      if (layout_.wiring == UsbWiring::bulk_pair) {
        in_.insert(in_.end(), r.bytes.begin(), r.bytes.end());
      } else {
        in_header_.insert(in_header_.end(), r.bytes.begin(), r.bytes.begin() + kHeaderSize);
        in_body_.insert(in_body_.end(), r.bytes.begin() + kHeaderSize, r.bytes.end());
      }
    }
  }
  UsbLayout layout_;
  Bytes header_, pending_body_;
  std::deque<uint8_t> in_, in_header_, in_body_;
};

// UsbFraming as a Transport, the way UsbTransport uses it.
class FramedTransport : public Transport {
 public:
  FramedTransport(UsbLink& link, UsbLayout l) : framing_(link, l) {}
  Status open() override { return {}; }
  void close() override {}
  bool is_open() const override { return true; }
  Status send_frame(std::span<const uint8_t> f, Millis t) override { return framing_.send_frame(f, t); }
  Status receive(std::vector<uint8_t>& out, Millis t) override { return framing_.receive(out, t); }
  void discard_input() override { framing_.discard_input(); }
  int baud() const override { return 0; }
  std::string describe() const override { return "usb:fake"; }

 private:
  UsbFraming framing_;
};

UsbLayout four_endpoints() {
  UsbLayout l;
  l.wiring = UsbWiring::sam_four_endpoints;
  l.out = {0x02, false, 64};
  l.body_out = {0x06, false, 64};
  l.in = {0x81, false, 64};
  l.body_in = {0x85, false, 64};
  return l;
}

UsbLayout bulk_pair() {
  UsbLayout l;
  l.out = {0x01, false, 64};
  l.in = {0x82, false, 64};
  return l;
}

class UsbWiringTest : public ::testing::TestWithParam<bool> {};

TEST_P(UsbWiringTest, ReadsEveryCardType) {
  const UsbLayout layout = GetParam() ? four_endpoints() : bulk_pair();
  FakeUsbReader dev(layout);
  FramedTransport t(dev, layout);
  SamReader reader(t, test::fast_options());
  ASSERT_TRUE(reader.status_check());
  ASSERT_EQ(reader.sam_id()->size(), 16u);
  for (const char* name : {"resident", "foreign-2017", "foreign-2023", "gat"}) {
    ASSERT_TRUE(dev.engine.control("place " + test::sample(name)));
    auto found = reader.find_card();
    ASSERT_TRUE(found && *found) << name;
    auto card = reader.read_card();
    ASSERT_TRUE(card) << name << ": " << card.error().message;
    test::expect_matches_description(*card, test::sample(name));
  }
  EXPECT_EQ(dev.violation, "");
  // The bulk pair carries frames in 64-byte packets, one per transfer.
  if (!GetParam()) {
    EXPECT_EQ(dev.largest_in, 64u);
  }
}

TEST_P(UsbWiringTest, DamagedAndMissingAnswers) {
  const UsbLayout layout = GetParam() ? four_endpoints() : bulk_pair();
  FakeUsbReader dev(layout);
  FramedTransport t(dev, layout);
  SamReader reader(t, test::fast_options());
  ASSERT_TRUE(dev.engine.control("place " + test::sample("gat")));
  ASSERT_TRUE(dev.engine.control("corrupt 1"));
  auto found = reader.find_card();
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(reader.stats().retries, 1u);
  ASSERT_TRUE(dev.engine.control("silent 3"));
  auto none = reader.find_card();
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "reader_not_answering");
  EXPECT_EQ(dev.violation, "");
}

INSTANTIATE_TEST_SUITE_P(Wirings, UsbWiringTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "FourEndpoints" : "BulkPair"; });

}  // namespace
}  // namespace bianmin::drivers::idcard
