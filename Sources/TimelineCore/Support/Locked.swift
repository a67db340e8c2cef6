import Foundation

/// A value shared between threads, read and written under a lock.
///
/// Not `Synchronization.Mutex`: when two threads contend for one, it waits and wakes in the standard
/// library's precompiled futex code (`_lockSlow`, `_unlockSlow`), where ThreadSanitizer sees no ordering;
/// building the word index on one thread while a search waited for it was reported as a data race on
/// the index. `NSLock` is a pthread mutex, which the tool follows. Uncontended, both cost about the same.
final class Locked<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  init(_ value: Value) { self.value = value }

  func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }
}
