// Checked writes (core/file_io.h): a failed write is an error naming the file and the reason,
// and never leaves a truncated file under the real name.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/file_io.h"
#include "support/expect_error.h"

namespace fs = std::filesystem;
using nnc::testing::error_message;

namespace {
fs::path scratch() {
  auto dir = fs::temp_directory_path() / ("nnc-test-file-io-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}
std::string read(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
/// Every name in `dir` (to see that no temporary is left behind).
std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  return out;
}
}  // namespace

TEST(FileIo, WritesAndReplacesWholeFiles) {
  auto dir = scratch() / "replace";
  fs::create_directories(dir);
  nnc::write_file((dir / "a.csv").string(), "old\n");
  nnc::write_file((dir / "a.csv").string(), "new,content\n");
  EXPECT_EQ(read(dir / "a.csv"), "new,content\n");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"a.csv"});
  fs::remove_all(dir);
}

TEST(FileIo, FullDeviceIsAnErrorNamingThePathAndTheReason) {
  if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full here";
  const std::string msg = error_message([] { nnc::write_file("/dev/full", "some bytes\n"); });
  EXPECT_NE(msg.find("cannot write '/dev/full'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("No space left on device"), std::string::npos) << msg;
}

TEST(FileIo, MissingFolderNamesThePath) {
  auto p = (scratch() / "no-such-dir" / "x.json").string();
  const std::string msg = error_message([&] { nnc::write_file(p, "[]\n"); });
  EXPECT_NE(msg.find(p), std::string::npos) << msg;
  EXPECT_NE(msg.find("No such file or directory"), std::string::npos) << msg;
}

TEST(FileIo, AnAbandonedWriterKeepsTheOldFileAndLeavesNoTemporary) {
  auto dir = scratch() / "abandon";
  fs::create_directories(dir);
  nnc::write_file((dir / "w.bin").string(), "complete");
  {
    nnc::FileWriter f((dir / "w.bin").string());
    f.write("half");
  }  // destroyed uncommitted, as when a later write throws
  EXPECT_EQ(read(dir / "w.bin"), "complete");
  EXPECT_EQ(names_in(dir), std::vector<std::string>{"w.bin"});
  fs::remove_all(dir);
}

TEST(FileIo, SymlinkStaysALinkToTheNewContent) {
  auto dir = scratch() / "link";
  fs::create_directories(dir);
  nnc::write_file((dir / "real.txt").string(), "1");
  fs::create_symlink("real.txt", dir / "link.txt");
  nnc::write_file((dir / "link.txt").string(), "2");
  EXPECT_TRUE(fs::is_symlink(dir / "link.txt"));
  EXPECT_EQ(read(dir / "real.txt"), "2");
  fs::remove_all(dir);
}

TEST(FileIo, CopyFileCopiesAndNamesAMissingSource) {
  auto dir = scratch() / "copy";
  fs::create_directories(dir);
  std::string big(3 << 20, 'x');  // more than one 1 MiB chunk
  big[12345] = 'y';
  nnc::write_file((dir / "a").string(), big);
  nnc::copy_file((dir / "a").string(), (dir / "b").string());
  EXPECT_EQ(read(dir / "b"), big);
  const std::string msg = error_message(
      [&] { nnc::copy_file((dir / "missing").string(), (dir / "c").string()); });
  EXPECT_NE(msg.find("missing"), std::string::npos) << msg;
  EXPECT_FALSE(fs::exists(dir / "c"));
  fs::remove_all(dir);
}
