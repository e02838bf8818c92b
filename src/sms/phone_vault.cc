#include "sms/phone_vault.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cassert>
#include <cerrno>
#include <filesystem>
#include <system_error>

namespace mittari::sms {

constexpr size_t kKeyFileSize = crypto_secretbox_KEYBYTES + crypto_generichash_KEYBYTES;
constexpr size_t kHashBytes = 32;  // BLAKE2b-256
static_assert(kHashBytes >= crypto_generichash_BYTES_MIN &&
              kHashBytes <= crypto_generichash_BYTES_MAX);

// Laid out exactly as the key file, so it is read in one go.
struct PhoneVault::Keys {
  unsigned char bytes[kKeyFileSize];

  const unsigned char* secretbox() const { return bytes; }
  const unsigned char* hash() const { return bytes + crypto_secretbox_KEYBYTES; }
};

void PhoneVault::KeysDeleter::operator()(Keys* keys) const {
  sodium_free(keys);  // zeroes the memory (sodium_memzero) before releasing it
}

namespace {

constexpr mode_t kPrivateMode = 0600;

std::string ErrnoText(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// Closes on every return path; a close error after fsync cannot lose data, so it is ignored.
class FileDescriptor {
 public:
  explicit FileDescriptor(int fd) : fd_(fd) {}
  FileDescriptor(const FileDescriptor&) = delete;
  FileDescriptor& operator=(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_;
};

// Reads exactly `size` bytes unless the file ends first; returns the count read, or -1.
ssize_t ReadFully(int fd, unsigned char* out, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::read(fd, out + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

bool WriteFully(int fd, const unsigned char* data, size_t size) {
  size_t done = 0;
  while (done < size) {
    ssize_t n = ::write(fd, data + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// NotFound when there is no key file yet, so that the caller creates one.
Status LoadKeyFile(const std::string& path, unsigned char* out) {
  FileDescriptor fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    int error = errno;
    if (error == ENOENT) return NotFoundError(fmt::format("no key file {}", path));
    return FailedPreconditionError(
        fmt::format("cannot open phone key file {}: {}", path, ErrnoText(error)));
  }
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) {
    return UnavailableError(
        fmt::format("cannot inspect phone key file {}: {}", path, ErrnoText(errno)));
  }
  if (!S_ISREG(info.st_mode)) {
    return FailedPreconditionError(fmt::format("phone key file {} is not a regular file", path));
  }
  // Checked before reading: a key others could have copied is no secret, and one they could
  // have replaced may not be ours.
  if ((info.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return FailedPreconditionError(fmt::format(
        "phone key file {} can be read or changed by other users (mode {:04o}); run chmod 600 {}",
        path, info.st_mode & 07777, path));
  }
  if (info.st_size != static_cast<off_t>(kKeyFileSize)) {
    return DataLossError(fmt::format(
        "phone key file {} has {} bytes instead of {}: it is damaged or not a Mittari key file; "
        "restore it from a backup, or the stored phone numbers cannot be read",
        path, info.st_size, kKeyFileSize));
  }
  ssize_t got = ReadFully(fd.get(), out, kKeyFileSize);
  if (got < 0) {
    return UnavailableError(
        fmt::format("cannot read phone key file {}: {}", path, ErrnoText(errno)));
  }
  if (static_cast<size_t>(got) != kKeyFileSize) {
    return DataLossError(fmt::format("phone key file {} shrank while it was being read", path));
  }
  return Status::Ok();
}

Status SyncDirectory(const std::filesystem::path& directory) {
  FileDescriptor fd(::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.valid() || ::fsync(fd.get()) != 0) {
    return UnavailableError(fmt::format("cannot make the new phone key file durable in {}: {}",
                                        directory.string(), ErrnoText(errno)));
  }
  return Status::Ok();
}

// Writes fresh keys to a private temporary file, flushes it, and only then gives it the real
// name, so that a crash leaves either no key file or a whole one. The name is given with
// link() rather than rename(): if another process created the key file meanwhile, link fails
// instead of replacing a key that may already have sealed numbers, and that file is used.
Status CreateKeyFile(const std::string& path) {
  unsigned char suffix[8];
  randombytes_buf(suffix, sizeof suffix);
  char suffix_hex[sizeof suffix * 2 + 1];
  sodium_bin2hex(suffix_hex, sizeof suffix_hex, suffix, sizeof suffix);
  std::string temp_path = path + ".tmp-" + suffix_hex;

  auto fail = [&](std::string_view what, int error) {
    ::unlink(temp_path.c_str());
    return UnavailableError(fmt::format("cannot create phone key file {}: {} failed: {}", path,
                                        what, ErrnoText(error)));
  };
  {
    FileDescriptor fd(
        ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kPrivateMode));
    if (!fd.valid()) {
      return FailedPreconditionError(
          fmt::format("cannot create phone key file {}: {}", path, ErrnoText(errno)));
    }
    // The umask may have taken the owner's bits away; the mode must be exactly 0600.
    if (::fchmod(fd.get(), kPrivateMode) != 0) return fail("chmod", errno);
    unsigned char keys[kKeyFileSize];
    randombytes_buf(keys, sizeof keys);
    bool written = WriteFully(fd.get(), keys, sizeof keys);
    int write_error = errno;
    sodium_memzero(keys, sizeof keys);
    if (!written) return fail("write", write_error);
    if (::fsync(fd.get()) != 0) return fail("fsync", errno);
  }
  if (::link(temp_path.c_str(), path.c_str()) != 0 && errno != EEXIST) return fail("link", errno);
  ::unlink(temp_path.c_str());
  std::filesystem::path directory = std::filesystem::path(path).parent_path();
  return SyncDirectory(directory.empty() ? std::filesystem::path(".") : directory);
}

}  // namespace

Result<PhoneVault> PhoneVault::OpenOrCreate(const std::string& key_path) {
  if (sodium_init() < 0) return InternalError("libsodium could not be initialised");
  // Guarded, locked memory: kept out of swap and core dumps, and wiped when freed.
  KeysPtr keys(static_cast<Keys*>(sodium_malloc(sizeof(Keys))));
  if (keys == nullptr) return InternalError("cannot allocate protected memory for the phone keys");
  Status loaded = LoadKeyFile(key_path, keys->bytes);
  if (loaded.code() == StatusCode::kNotFound) {
    RETURN_IF_ERROR(CreateKeyFile(key_path));
    loaded = LoadKeyFile(key_path, keys->bytes);
  }
  RETURN_IF_ERROR(loaded);
  return PhoneVault(std::move(keys));
}

std::string PhoneVault::Seal(std::string_view e164) const {
  assert(keys_ && "Seal on a moved-from PhoneVault");
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + e164.size(), '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(e164.data()), e164.size(), nonce,
                        keys_->secretbox());
  return sealed;
}

Result<std::string> PhoneVault::Open(std::string_view sealed) const {
  assert(keys_ && "Open on a moved-from PhoneVault");
  constexpr size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  auto cannot = [] {
    return DataLossError("cannot decrypt phone number (wrong key or damaged data)");
  };
  if (sealed.size() < kOverhead) return cannot();
  const auto* nonce = reinterpret_cast<const unsigned char*>(sealed.data());
  std::string e164(sealed.size() - kOverhead, '\0');
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(e164.data()), nonce + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, nonce, keys_->secretbox()) != 0) {
    return cannot();
  }
  return e164;
}

std::string PhoneVault::Hash(std::string_view e164) const {
  assert(keys_ && "Hash on a moved-from PhoneVault");
  unsigned char digest[kHashBytes];
  crypto_generichash(digest, sizeof digest, reinterpret_cast<const unsigned char*>(e164.data()),
                     e164.size(), keys_->hash(), crypto_generichash_KEYBYTES);
  char hex[kHashBytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, kHashBytes * 2);
}

}  // namespace mittari::sms
