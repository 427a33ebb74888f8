// The power-cut model keeps exactly what POSIX promises after fsync and
// fsync of the directory, and nothing else.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "powercut/durable_model.h"
#include "support/testing.h"

namespace bianmin::testing::powercut {
namespace {

class Model : public ::testing::Test {
 protected:
  void SetUp() override {
    ::mkdir(live().c_str(), 0700);
    write_file(live() + "/db", "old");
    std::string error;
    ASSERT_TRUE(model.load(live(), &error)) << error;
  }
  std::string live() const { return tmp.file("live"); }
  ino_t ino(const std::string& name) const {
    struct stat st {};
    return ::stat((live() + "/" + name).c_str(), &st) == 0 ? st.st_ino : 0;
  }
  // Writes through the model, as the FUSE layer does; the fd stays open.
  int write_at(const std::string& name, const std::string& bytes, off_t offset, int extra_flags = 0) {
    const int fd = ::open((live() + "/" + name).c_str(), O_RDWR | O_CREAT | extra_flags, 0600);
    if (extra_flags & O_TRUNC) model.truncated(ino(name), 0);
    EXPECT_EQ(::pwrite(fd, bytes.data(), bytes.size(), offset), static_cast<ssize_t>(bytes.size()));
    model.wrote(ino(name), offset, bytes.size());
    return fd;
  }
  std::string after_cut(const std::string& name) {
    const std::string target = tmp.file("cut" + std::to_string(++cuts));
    ::mkdir(target.c_str(), 0700);
    std::string error;
    EXPECT_TRUE(model.materialize(target, &error)) << error;
    struct stat st {};
    if (::stat((target + "/" + name).c_str(), &st) != 0) return "<absent>";
    return read_file(target + "/" + name);
  }

  TempDir tmp;
  DurableModel model;
  int cuts = 0;
};

TEST_F(Model, WrittenButNotSyncedBytesAreLost) {
  const int fd = write_at("db", "new!", 0);
  EXPECT_EQ(after_cut("db"), "old");
  model.file_synced(ino("db"), fd);
  EXPECT_EQ(after_cut("db"), "new!");
  ::close(fd);
}

TEST_F(Model, ASyncThatCannotReadTheBytesFailsAndKeepsThemPending) {
  const int fd = write_at("db", "new!", 0);
  const int write_only = ::open((live() + "/db").c_str(), O_WRONLY);
  EXPECT_FALSE(model.file_synced(ino("db"), write_only));
  EXPECT_EQ(after_cut("db"), "old");
  EXPECT_TRUE(model.file_synced(ino("db"), fd));
  EXPECT_EQ(after_cut("db"), "new!");
  ::close(write_only);
  ::close(fd);
}

TEST_F(Model, ANewFileNeedsItsDirectorySynced) {
  const int fd = write_at("blob", "sealed page", 0);
  model.file_synced(ino("blob"), fd);
  EXPECT_EQ(after_cut("blob"), "<absent>");
  model.dir_synced(live(), "");
  EXPECT_EQ(after_cut("blob"), "sealed page");
  ::close(fd);
}

TEST_F(Model, ANameSyncedBeforeItsFileLeavesAnEmptyFile) {
  const int fd = write_at("wal", "frames", 0);
  model.dir_synced(live(), "");
  EXPECT_EQ(after_cut("wal"), "");
  ::close(fd);
}

TEST_F(Model, ARenameOverAFileIsUndoneUntilTheDirectoryIsSynced) {
  const int fd = write_at("db.tmp", "replacement", 0);
  model.file_synced(ino("db.tmp"), fd);
  model.name_going(ino("db"));
  ASSERT_EQ(::rename((live() + "/db.tmp").c_str(), (live() + "/db").c_str()), 0);
  EXPECT_EQ(after_cut("db"), "old");
  model.dir_synced(live(), "");
  EXPECT_EQ(after_cut("db"), "replacement");
  EXPECT_EQ(after_cut("db.tmp"), "<absent>");
  ::close(fd);
}

TEST_F(Model, TruncatedBytesReadAsZerosWhenTheFileGrowsAgain) {
  const int fd = write_at("db", "Z", 4, O_TRUNC);
  model.file_synced(ino("db"), fd);
  EXPECT_EQ(after_cut("db"), std::string("\0\0\0\0Z", 5));
  ::close(fd);
}

TEST_F(Model, AnInodeNumberReusedByANewFileDoesNotChangeTheOldName) {
  const ino_t old = ino("db");
  model.name_going(old);  // unlinked; the directory was not synced
  const int fd = write_at("other", "someone else", 0);
  model.file_synced(old, fd);  // the kernel gave the new file the same number
  EXPECT_EQ(after_cut("db"), "old");
  ::close(fd);
}

}  // namespace
}  // namespace bianmin::testing::powercut
