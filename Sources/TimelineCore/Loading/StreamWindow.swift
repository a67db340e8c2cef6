import Foundation

/// Reads a file through a window that slides forward, refilled with `pread`.
final class StreamWindow {
  let file: FileText
  private(set) var storage: UnsafeMutablePointer<UInt8>
  private(set) var capacity: Int
  /// File offset of `storage[0]`.
  private(set) var base: Int
  private(set) var filled = 0
  private(set) var eof = false
  /// The UTF-8 automaton's state after every byte read so far. Checking the encoding here, once per
  /// byte as it arrives, spares the parser a second look at each string's bytes.
  private var utf8 = UTF8DFA.accept

  /// Whether some byte read so far breaks UTF-8 (the fast path then gives up).
  var invalidUTF8: Bool { utf8 == UTF8DFA.error }
  /// The file offset of the character that breaks UTF-8, once one has.
  private(set) var invalidAt: Int?

  /// Where reading stopped being possible: the broken character, or the end of the file.
  var stopOffset: Int { invalidAt ?? base + filled }

  init(file: FileText, start: Int, capacity: Int) {
    self.file = file
    // No bigger than what is left to read (plus one byte to see the end): small files, small windows.
    let capacity = max(4096, min(capacity, file.size - start + 1))
    self.capacity = capacity
    storage = .allocate(capacity: capacity)
    base = start
    fill()
  }

  deinit { storage.deallocate() }

  private func fill() {
    let from = filled
    while filled < capacity && !eof {
      let n = file.read(into: storage + filled, count: capacity - filled, at: base + filled)
      if n == 0 { eof = true }
      filled += n
    }
    let before = utf8
    utf8 = UTF8DFA.run(storage + from, filled - from, from: utf8)
    // A character cut by the end of the file is as broken as any other.
    if eof && utf8 != UTF8DFA.accept { utf8 = UTF8DFA.error }
    if utf8 == UTF8DFA.error && invalidAt == nil { invalidAt = firstInvalid(from: from, state: before) }
  }

  /// The offset of the character that broke UTF-8 in the bytes read from `from` (rare: only for a file
  /// that is not valid, to say where).
  private func firstInvalid(from: Int, state: UInt64) -> Int {
    var s = state
    var characterStart = base + from
    for i in from..<filled {
      if s == UTF8DFA.accept { characterStart = base + i }
      s = UTF8DFA.step(s, storage[i])
      if s == UTF8DFA.error { return characterStart }
    }
    return characterStart
  }

  /// Keeps the bytes from `local` on, moved to the front, and reads more after them; grows the window
  /// when one element is larger than it. Returns false when nothing more can be read, or when what
  /// was read is not UTF-8.
  func refill(keepingFrom local: Int) -> Bool {
    if eof || invalidUTF8 { return false }
    if local == 0 {
      // The window is full of one unfinished element: make it larger.
      let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
      bigger.update(from: storage, count: filled)
      storage.deallocate()
      storage = bigger
      capacity *= 2
    } else {
      let keep = filled - local
      memmove(storage, storage + local, keep)
      base += local
      filled = keep
    }
    fill()
    return !invalidUTF8
  }
}
