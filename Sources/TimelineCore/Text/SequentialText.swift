import CTimelineSupport

/// Reads text references in increasing offset order with few, large reads.
final class SequentialText {
  private let document: DocumentText
  /// The file behind the text, or nil for text in memory (fetched once: `document.file` hands out a
  /// retained reference at each call, which for the word index was three per event).
  private let file: FileText?
  /// The bytes read last, `windowCount` of them, in one buffer reused for every read: a fresh 4 MiB
  /// array per window was zero-filled and faulted in page by page (reusing it took about 15,000 page
  /// faults off each word-index build of a 1 M-event file). Raw memory, and no exclusivity checks
  /// (a reader belongs to one thread): an array here was retained, and its property's access checked,
  /// for each field folded.
  @exclusivity(unchecked) private var window: UnsafeMutablePointer<UInt8>?
  @exclusivity(unchecked) private var windowCapacity = 0
  @exclusivity(unchecked) private var windowCount = 0
  @exclusivity(unchecked) private var windowStart = 0
  /// Where the text the caller will ask for next ends, if it knows (a word-index thread's share of
  /// the file): a read stops there instead of reading 4 MiB past it.
  @exclusivity(unchecked) var readEnd = Int.max
  /// Whether the window is a mapping of its own (`Pages`), given back when freed: the word index's, whose
  /// two threads' 4 MiB windows otherwise stayed resident in their arenas after the build. A search's
  /// reader takes it from the allocator, where a window freed before is reused without page faults.
  private let paged: Bool

  init(document: DocumentText, paged: Bool = false) {
    self.document = document
    file = document.file
    self.paged = paged
  }

  deinit { release() }

  private func release() {
    if paged { Pages.free(window, capacity: windowCapacity) } else { window?.deallocate() }
  }

  /// Gives back the window's memory (a later read makes a new one).
  func freeWindow() {
    release()
    window = nil
    windowCapacity = 0
    windowCount = 0
    windowStart = 0
  }

  /// Makes the window hold the file's bytes `range` (one event's text, whatever the order of its
  /// fields), reading only when it does not already. Returns false when they cannot be read (the file
  /// is shorter now, or changed).
  func cover(_ range: Range<Int>) -> Bool {
    guard let file else { return true }
    if range.lowerBound < windowStart || range.upperBound > windowStart + windowCount {
      let wanted = readEnd > range.lowerBound ? min(4 << 20, readEnd - range.lowerBound) : 4 << 20
      let size = max(wanted, range.count)
      if windowCapacity < size {
        release()
        windowCapacity = max(4 << 20, size)
        window = paged ? Pages.allocate(UInt8.self, capacity: windowCapacity) : .allocate(capacity: windowCapacity)
      }
      windowCount = file.read(into: window!, count: size, at: range.lowerBound)
      windowStart = range.lowerBound
    }
    return range.upperBound <= windowStart + windowCount
  }

  /// Appends the folded text of `ref` (`TextFolding.foldJSON`: escapes decoded and folded in one
  /// pass) to `out`.
  func fold(_ ref: TextRef, into out: FoldedText, tables: TextFolding.Tables) {
    if ref.isEmpty { return }
    guard file != nil else {
      document.withUTF8(ref) { text in
        guard let src = text.baseAddress else { return }
        out.write(upTo: TextFolding.roomNeeded(text.count)) { TextFolding.foldJSON(src, text.count, escaped: false, into: $0, tables: tables) }
      }
      return
    }
    guard cover(ref.range) else { return }
    let src = UnsafePointer(window!) + (ref.offset - windowStart)
    out.write(upTo: TextFolding.roomNeeded(ref.length)) { TextFolding.foldJSON(src, ref.length, escaped: ref.escaped, into: $0, tables: tables) }
  }

  /// Appends an event's folded title, summary and notes to `out`, one line each (`fold`), after one
  /// read covering the three, whichever comes first in the file; only the two line breaks when the
  /// text cannot be read (the file changed). From a file, the three are folded from the window's
  /// bytes into room reserved once for them.
  ///
  /// Not inlined: the word index's loop that calls it is large enough that the compiler stopped
  /// inlining the folding loop into it, and the folding loop it then called checked for escapes at run
  /// time; here the loop for text without escapes is inlined once.
  @inline(never)
  func foldEvent(title: TextRef, summary: TextRef, notes: TextRef, into out: FoldedText, tables: TextFolding.Tables) {
    guard file != nil else {
      fold(title, into: out, tables: tables)
      out.append(0x0A)
      fold(summary, into: out, tables: tables)
      out.append(0x0A)
      fold(notes, into: out, tables: tables)
      return
    }
    guard coverEvent(title: title, summary: summary, notes: notes) else {
      out.append(0x0A)
      out.append(0x0A)
      return
    }
    out.reserve(TextFolding.roomNeeded(title.length) + TextFolding.roomNeeded(summary.length) + TextFolding.roomNeeded(notes.length) + 2)
    // Each field's bytes in the window, folded after the last, a line break between two (written out:
    // a nested function capturing `o` had its access checked at run time). One call of the folding
    // loop for the three, inlined here (three copies made the caller's loop larger, not faster).
    let src = UnsafePointer(window!)
    let start = windowStart
    var o = out.base + out.count
    var field = 0
    while true {
      let ref = field == 0 ? title : field == 1 ? summary : notes
      if !ref.isEmpty { o += TextFolding.foldJSONInline(src + (ref.offset - start), ref.length, escaped: ref.escaped, into: o, tables: tables) }
      if field == 2 { break }
      o.pointee = 0x0A
      o += 1
      field += 1
    }
    out.count = out.base.distance(to: o)
  }

  /// Makes the window hold an event's title, summary and notes (one read, whichever comes first in the
  /// file); false when they cannot be read (the file changed).
  @inline(__always) func coverEvent(title: TextRef, summary: TextRef, notes: TextRef) -> Bool {
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
    return cover(lo..<hi)
  }

  /// Whether the text is read from the file's raw JSON (else it is decoded text in memory).
  var readsFile: Bool { file != nil }

  /// Whether `needle` lies in the raw JSON of `ref` where no escape covers it
  /// (`timeline_plain_contains`: its folded text then holds it); `ref` must be in the window (`cover`,
  /// `coverEvent`), and the text read from the file (`readsFile`).
  @inline(__always) func containsPlain(_ ref: TextRef, _ needle: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    if ref.isEmpty { return false }
    return timeline_plain_contains(UnsafePointer(window!) + (ref.offset - windowStart), ref.length, needle, count) != 0
  }

  /// Calls `body` with the decoded bytes of `ref` (escapes undone).
  func bytes(_ ref: TextRef, scratch: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
    // An absent field (no summary, no notes) is not read: its offset would move the window back.
    if ref.isEmpty { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    guard file != nil else {
      document.withUTF8(ref, body)
      return
    }
    guard cover(ref.range) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
    let slice = UnsafeBufferPointer(start: UnsafePointer(window!) + (ref.offset - windowStart), count: ref.length)
    if !ref.escaped {
      body(slice)
    } else {
      scratch.removeAll(keepingCapacity: true)
      JSONString.unescape(slice, into: &scratch)
      scratch.withUnsafeBufferPointer(body)
    }
  }
}

/// A growable byte buffer that folded text is written into, reused for every event of a scan.
final class FoldedText {
  @exclusivity(unchecked) private(set) var base: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) fileprivate(set) var count = 0
  @exclusivity(unchecked) private var capacity: Int

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

  /// Makes the 64 bytes after the text readable, the first sixteen of them zero (not word bytes), for a
  /// reader that loads up to 64 bytes at a time (`SearchIndexBuilder`'s tokeniser).
  @inline(__always) func padForWideReads() {
    reserve(64)
    UnsafeMutableRawPointer(base + count).storeBytes(of: 0, as: UInt64.self)
    UnsafeMutableRawPointer(base + count + 8).storeBytes(of: 0, as: UInt64.self)
  }

  /// Makes room for `extra` more bytes (and the 16 `padForWideReads` needs after them).
  @inline(__always) func reserve(_ extra: Int) {
    if count + extra + 16 <= capacity { return }
    grow(extra + 16)
  }

  @inline(never) private func grow(_ extra: Int) {
    let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + extra))
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity = max(capacity * 2, count + extra)
  }
}
