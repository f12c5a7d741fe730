#include "core/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
#include <vector>

#include "core/error.h"

namespace nnc {
namespace {

namespace fs = std::filesystem;

/// Devices, FIFOs and the names of open descriptors (/dev/stdout, /dev/fd/3, /proc/self/fd/1)
/// cannot be replaced by a rename: they are written where they are.
bool written_in_place(const std::string& path) {
  for (const char* prefix : {"/dev/std", "/dev/fd/", "/proc/"})
    if (path.rfind(prefix, 0) == 0) return true;
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
}

/// A symlink keeps pointing where it did: the file written is its target.
std::string resolved(const std::string& path) {
  std::error_code ec;
  if (!fs::is_symlink(path, ec)) return path;
  auto real = fs::weakly_canonical(path, ec);
  return ec ? path : real.string();
}

[[noreturn]] void fail_write(const std::string& path, int err) {
  fail("cannot write '{}': {}", path, std::strerror(err));
}

}  // namespace

FileWriter::FileWriter(const std::string& path) : path_(path) {
  if (written_in_place(path)) {
    target_ = tmp_ = path;
    fd_ = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  } else {
    target_ = resolved(path);
    tmp_ = fmt::format("{}.{}.tmp", target_, ::getpid());
    fd_ = ::open(tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
  }
  if (fd_ < 0) fail_write(path_, errno);
}

FileWriter::~FileWriter() {
  if (fd_ < 0) return;
  ::close(fd_);
  if (tmp_ != target_) ::unlink(tmp_.c_str());
}

void FileWriter::abandon(int err) {
  ::close(std::exchange(fd_, -1));
  if (tmp_ != target_) ::unlink(tmp_.c_str());
  fail_write(path_, err);
}

void FileWriter::write(const void* data, size_t size) {
  NNC_CHECK(fd_ >= 0, "'{}': written after commit", path_);
  const char* p = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd_, p, std::min(size, size_t{1} << 30));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) abandon(n < 0 ? errno : ENOSPC);  // 0 bytes for a non-empty write: no room
    p += n;
    size -= static_cast<size_t>(n);
  }
}

void FileWriter::commit() {
  NNC_CHECK(fd_ >= 0, "'{}': committed twice", path_);
  // close() is where NFS and some quota set-ups report a failed write.
  if (::close(std::exchange(fd_, -1)) != 0 && errno != EINTR) {
    const int err = errno;
    if (tmp_ != target_) ::unlink(tmp_.c_str());
    fail_write(path_, err);
  }
  if (tmp_ != target_ && ::rename(tmp_.c_str(), target_.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp_.c_str());
    fail_write(path_, err);
  }
}

void write_file(const std::string& path, std::string_view data) {
  FileWriter f(path);
  f.write(data);
  f.commit();
}

void write_stdout(std::string_view data) {
  if (std::fwrite(data.data(), 1, data.size(), stdout) != data.size() || std::fflush(stdout) != 0)
    fail("cannot write to standard output: {}", std::strerror(errno));
}

void copy_file(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  NNC_CHECK(in, "cannot read '{}': {}", from, std::strerror(errno));
  FileWriter out(to);
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    out.write(buf.data(), static_cast<size_t>(in.gcount()));
  }
  NNC_CHECK(!in.bad(), "cannot read '{}': {}", from, std::strerror(errno));
  out.commit();
}

void append_whole(int fd, const std::string& path, std::string_view text) {
  const off_t before = ::lseek(fd, 0, SEEK_END);
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int err = n < 0 ? errno : ENOSPC;
      if (done > 0 && before >= 0 && ::ftruncate(fd, before) != 0) {
        // Cutting back failed too: the half line stays; the error below still stops the run.
      }
      fail_write(path, err);
    }
    done += static_cast<size_t>(n);
  }
}

}  // namespace nnc
