/// Reads text references in increasing offset order with few, large reads.
final class SequentialText {
  private let document: DocumentText
  /// The bytes read last, `windowCount` of them, in one buffer reused for every read: a fresh 4 MiB
  /// array per window was zero-filled and faulted in page by page (reusing it took about 15,000 page
  /// faults off each word-index build of a 1 M-event file).
  private var window: [UInt8] = []
  private var windowCount = 0
  private var windowStart = 0

  init(document: DocumentText) {
    self.document = document
  }

  /// Makes the window hold the file's bytes `range` (one event's text, whatever the order of its
  /// fields), reading only when it does not already. Returns false when they cannot be read (the file
  /// is shorter now, or changed).
  func cover(_ range: Range<Int>) -> Bool {
    guard let file = document.file else { return true }
    if range.lowerBound < windowStart || range.upperBound > windowStart + windowCount {
      let size = max(4 << 20, range.count)
      if window.count < size { window = [UInt8](repeating: 0, count: size) }
      windowCount = window.withUnsafeMutableBytes { file.read(into: $0.baseAddress!, count: size, at: range.lowerBound) }
      windowStart = range.lowerBound
    }
    return range.upperBound <= windowStart + windowCount
  }

  /// Appends the folded text of `ref` (`TextFolding.foldJSON`: escapes decoded and folded in one
  /// pass) to `out`.
  func fold(_ ref: TextRef, into out: FoldedText, tables: TextFolding.Tables) {
    if ref.isEmpty { return }
    guard document.file != nil else {
      document.withUTF8(ref) { text in
        guard let src = text.baseAddress else { return }
        out.write(upTo: TextFolding.roomNeeded(text.count)) { TextFolding.foldJSON(src, text.count, escaped: false, into: $0, tables: tables) }
      }
      return
    }
    guard cover(ref.range) else { return }
    let local = ref.offset - windowStart
    window.withUnsafeBufferPointer { w in
      let src = w.baseAddress! + local
      out.write(upTo: TextFolding.roomNeeded(ref.length)) { TextFolding.foldJSON(src, ref.length, escaped: ref.escaped, into: $0, tables: tables) }
    }
  }

  /// Appends an event's folded title, summary and notes to `out`, one line each (`fold`), after one
  /// read covering the three, whichever comes first in the file; only the two line breaks when the
  /// text cannot be read (the file changed).
  @inline(__always)
  func foldEvent(title: TextRef, summary: TextRef, notes: TextRef, into out: FoldedText, tables: TextFolding.Tables) {
    var lo = title.offset
    var hi = title.offset + title.length
    if !summary.isEmpty {
      lo = min(lo, summary.offset)
      hi = max(hi, summary.offset + summary.length)
    }
    if !notes.isEmpty {
      lo = min(lo, notes.offset)
      hi = max(hi, notes.offset + notes.length)
    }
    if cover(lo..<hi) {
      fold(title, into: out, tables: tables)
      out.append(0x0A)
      fold(summary, into: out, tables: tables)
      out.append(0x0A)
      fold(notes, into: out, tables: tables)
    } else {
      out.append(0x0A)
      out.append(0x0A)
    }
  }

  /// Calls `body` with the decoded bytes of `ref` (escapes undone).
  func bytes(_ ref: TextRef, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    // An absent field (no summary, no notes) is not read: its offset would move the window back.
    if ref.isEmpty { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    guard let file = document.file else {
      document.withUTF8(ref, body)
      return
    }
    if ref.offset < windowStart || ref.offset + ref.length > windowStart + windowCount {
      let size = max(4 << 20, ref.length)
      if window.count < size { window = [UInt8](repeating: 0, count: size) }
      windowCount = window.withUnsafeMutableBytes { file.read(into: $0.baseAddress!, count: size, at: ref.offset) }
      windowStart = ref.offset
    }
    let local = ref.offset - windowStart
    guard local + ref.length <= windowCount else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    window.withUnsafeBufferPointer { w in
      let slice = UnsafeBufferPointer(rebasing: w[local..<local + ref.length])
      if !ref.escaped {
        body(slice)
      } else {
        scratch.removeAll(keepingCapacity: true)
        JSONString.unescape(slice, into: &scratch)
        scratch.withUnsafeBufferPointer(body)
      }
    }
  }
}

/// A growable byte buffer that folded text is written into, reused for every event of a scan.
final class FoldedText {
  private(set) var base: UnsafeMutablePointer<UInt8>
  private(set) var count = 0
  private var capacity: Int

  init(capacity: Int = 4096) {
    self.capacity = capacity
    base = .allocate(capacity: capacity)
  }

  deinit { base.deallocate() }

  var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

  func removeAll() { count = 0 }

  func append(_ byte: UInt8) {
    reserve(1)
    base[count] = byte
    count += 1
  }

  /// Lets `body` write at most `room` bytes at the end; it returns how many it wrote.
  @inline(__always) func write(upTo room: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    reserve(room)
    count += body(base + count)
  }

  /// Makes the 16 bytes after the text readable, the first eight of them zero (not word bytes), for a
  /// reader that loads eight or sixteen bytes at a time (`SearchIndexBuilder`'s tokeniser).
  func padForWideReads() {
    reserve(16)
    UnsafeMutableRawPointer(base + count).storeBytes(of: 0, as: UInt64.self)
    UnsafeMutableRawPointer(base + count + 8).storeBytes(of: 0, as: UInt64.self)
  }

  private func reserve(_ extra: Int) {
    if count + extra <= capacity { return }
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + extra))
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = max(capacity * 2, count + extra)
  }
}
