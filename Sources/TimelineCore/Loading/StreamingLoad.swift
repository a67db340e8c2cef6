import Foundation
import Synchronization

/// One streamed load of a large file (see `TimelineLoader`). Returns nil whenever the file is not valid,
/// for the reference decoder to take over; `shared.problem` then says where it stopped, and why when it
/// knows (a file too large for the reference decoder gets that as its message).
///
/// With two threads: the second starts at an element boundary it guesses near the middle of the file
/// (`},{"`) and parses events to the end of the array; the first parses from the start and, if it
/// arrives exactly at that boundary, stops there and takes the second's work; if its parse passes the
/// boundary without landing on it, the guess was wrong (the pattern was inside a string) and it simply
/// carries on alone. Either way the result is what one thread would have produced.
struct StreamingLoad {
  let file: FileText
  let options: TimelineLoader.Options
  let shared = Shared()

  /// Shared between the two threads.
  final class Shared: Sendable {
    /// When the load started, for `stamp`.
    let started = ContinuousClock.now
    let bytesDone = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    /// The second thread's events and how its parse ended.
    let second = Mutex<(EventBatch, EventsOutcome)?>(nil)
    /// The first place the file was found not to be valid, and what is wrong when that is known.
    let problem = Locked<Problem?>(nil)
    /// The document's members read before the events (as `parseDocument` collects them), once the
    /// first thread has reached the events, and their decode once a thread has started it.
    let membersBeforeEvents = Locked<(members: [UInt8]?, decode: MembersDecode?)>((nil, nil))

    /// Starts the decode of the members read before the events, unless it is under way already or
    /// they are not known yet; returns it. Whichever thread is first left without work starts it:
    /// the first when it reaches the split point, the second when it finishes its part first (the
    /// halves often take times 50 ms apart on this VM, and the decode takes 15-30 ms).
    @discardableResult
    func decodeMembersBeforeEvents(fileName: String) -> MembersDecode? {
      membersBeforeEvents.withLock { m in
        if m.decode == nil, let members = m.members { m.decode = MembersDecode(members, fileName: fileName, shared: self) }
        return m.decode
      }
    }

    /// With `TIMELINE_DEBUG_LOAD` set, writes what a thread has reached and when (milliseconds since the
    /// load started): which half of the parse ends last, and what waits for what after it.
    func stamp(_ what: @autoclosure () -> String) {
      guard StreamingLoad.debugging else { return }
      let (s, a) = started.duration(to: .now).components
      let ms = Double(s) * 1e3 + Double(a) / 1e15
      FileHandle.standardError.write(Data("timeline load: +\((ms * 10).rounded() / 10) ms \(what())\n".utf8))
    }

    func record(_ p: Problem) {
      problem.withLock { current in
        if let c = current, let o = c.offset, let n = p.offset, o <= n { return }
        if current == nil || p.offset != nil { current = p }
      }
    }
  }

  /// Where the fast path found the file not to be valid (a byte offset), and why when it knows.
  struct Problem: Sendable {
    var offset: Int?
    var reason: String?
  }

  /// The problem that stopped the last `run`, if it stopped on one (not when cancelled).
  var problem: Problem? { shared.problem.withLock { $0 } }

  enum EventsOutcome: Sendable {
    case endOfArray(Int)  // file offset after the closing bracket
    case reachedSplit
    /// Where the file is not valid, or nil when the parse was stopped (cancelled, or by the other thread).
    case failed(Problem?)
  }

  /// Whether `TIMELINE_DEBUG_LOAD` is set: the fast path then says why it gave up, and when each
  /// thread reached each step (`Shared.stamp`).
  static let debugging = ProcessInfo.processInfo.environment["TIMELINE_DEBUG_LOAD"] != nil

  static func debug(_ message: @autoclosure () -> String) {
    if debugging {
      FileHandle.standardError.write(Data("timeline load: \(message())\n".utf8))
    }
  }

  func run(timings: inout TimelineLoader.Timings) -> Timeline? {
    let started = Date()
    let shared = self.shared
    let size = file.size
    var split: Int?
    if options.threads >= 2 && size >= options.parallelThreshold {
      split = findSplit(near: size / 2)
    }
    // The second half, in the background.
    let done = DispatchGroup()
    if let s = split {
      done.enter()
      let f = file
      let opts = options
      Thread.detachNewThread {
        var batch = EventBatch(expectedEvents: (size - s) / 300)
        let window = StreamWindow(file: f, start: s, capacity: opts.windowSize)
        var pos = 0
        let outcome = StreamingLoad.parseEvents(
          window, &pos, into: &batch, split: nil, shared: shared, progressBase: 0, options: opts, first: true)
        shared.second.withLock { $0 = (batch, outcome) }
        shared.stamp("second thread: its part parsed (\(batch.count) events)")
        if case .endOfArray = outcome { shared.decodeMembersBeforeEvents(fileName: f.path) }
        done.leave()
      }
    }

    var batch = EventBatch(expectedEvents: (split ?? size) / 300)
    guard var head = parseDocument(&batch, split: split, shared: shared, done: done) else {
      shared.stop.store(true, ordering: .relaxed)
      if split != nil { done.wait() }
      Self.debug("the document needs the reference decoder (split: \(split.map(String.init) ?? "none"))")
      return nil
    }
    // The chronological order was found while the members were decoded: sorting, not parsing.
    timings.parse = Date().timeIntervalSince(started) - head.orderSeconds
    timings.path = head.usedSecond ? "stream-2" : "stream-1"

    // Resolve ids and check references; anything wrong means the reference decoder must explain it.
    let resolveStart = Date()
    let t = head.document
    let assembler = TimelineAssembler(
      title: t.title, description: t.description, sources: t.sources, people: t.people, eras: t.eras,
      declaredCountries: t.declaredCountries)
    // Any problem means the reference decoder must explain it: nothing here needs a place.
    var problems = Problems<Void>()
    let nowhere = TimelineAssembler.Citation<Void>(place: (), subject: .none, uses: 0)
    assembler.checkCountries(
      batch.unknownCountrySlots.map { .init(slot: $0, place: (), subject: .none, field: EventField.countries.name) }, into: &problems)
    let personMap = assembler.resolvePeople(batch.personIDs, { _ in nowhere }, into: &problems)
    let sourceMap = assembler.resolveSources(batch.sourceIDs, { _ in nowhere }, into: &problems)
    guard problems.isEmpty else {
      _ = head.duplicates.wait()
      Self.debug("references need the reference decoder: \(problems.list.first?.message ?? "")")
      shared.record(Problem(offset: nil, reason: problems.list.first?.message))
      return nil
    }
    timings.resolve = Date().timeIntervalSince(resolveStart)
    // The columns in order, each written once, with the second thread's ids mapped through the first's.
    let placed = ContinuousClock.now
    let secondIDs = head.secondIDs
    var columns = EventBatch.columns(
      batch, head.second, order: head.order,
      firstIDs: .init(people: personMap, sources: sourceMap, tags: nil),
      secondIDs: .init(
        people: secondIDs.map { $0.people.map { personMap[Int($0)] } }, sources: secondIDs.map { $0.sources.map { sourceMap[Int($0)] } },
        tags: secondIDs?.tags))
    // Moved out of `head`, so that the arrays are not shared and are written in place (shared, each
    // was copied, into fresh pages, when the day keys were written into it).
    var spare: [[Int64]] = []
    swap(&spare, &head.spare)
    columns.spare = SpareWords(consume spare)
    timings.sort = head.orderSeconds + placed.secondsSince()
    shared.stamp("columns placed")
    let timeline = assembler.timeline(
      ordered: columns, tags: head.tagNames, document: DocumentText(file: file), timings: &timings)
    shared.stamp("indexed")
    if let id = head.duplicates.wait() {
      Self.debug("duplicate ids need the reference decoder")
      shared.record(Problem(offset: nil, reason: "two events have the id \"\(TerminalSafety.sanitized(id))\""))
      return nil
    }
    options.progress?(1)
    return timeline
  }

  /// Guesses an element boundary (`}` `,` `{` `"`, with any whitespace) at or after `offset`.
  private func findSplit(near offset: Int) -> Int? {
    let bytes = file.bytes(offset..<min(file.size, offset + (1 << 20)))
    var i = 0
    func skipSpace(_ j: inout Int) {
      while j < bytes.count, bytes[j] == 0x20 || bytes[j] == 0x0A || bytes[j] == 0x0D || bytes[j] == 0x09 { j += 1 }
    }
    while i < bytes.count {
      if bytes[i] == UInt8(ascii: "}") {
        var j = i + 1
        skipSpace(&j)
        if j < bytes.count, bytes[j] == UInt8(ascii: ",") {
          j += 1
          skipSpace(&j)
          if j < bytes.count, bytes[j] == UInt8(ascii: "{") {
            var k = j + 1
            skipSpace(&k)
            if k < bytes.count, bytes[k] == UInt8(ascii: "\"") { return offset + j }
          }
        }
      }
      i += 1
    }
    return nil
  }

  /// Parses array elements from `pos` until the closing bracket (or, for the first thread, until the
  /// split point).
  static func parseEvents(
    _ w: StreamWindow, _ pos: inout Int, into batch: inout EventBatch, split: Int?, shared: Shared,
    progressBase: Int, options: TimelineLoader.Options, first: Bool
  ) -> EventsOutcome {
    /// Gives up at a place where the file is not valid.
    func failed(at offset: Int) -> EventsOutcome { .failed(Problem(offset: offset, reason: nil)) }
    if w.invalidUTF8 { return failed(at: w.stopOffset) }
    var sinceReport = 0
    var lastReported = w.base + pos
    var isFirst = first
    while true {
      if let split, !isFirst {
        // Does the next element (past whitespace and its comma) start exactly at the split point?
        // A short look ahead is enough; if it is not there, this thread just carries on alone.
        if w.filled - pos < 256 && !w.eof {
          guard w.refill(keepingFrom: pos) else { return failed(at: w.stopOffset) }
          pos = 0
        }
        var q = pos
        func skip() { while q < w.filled, w.storage[q] == 0x20 || w.storage[q] == 0x0A || w.storage[q] == 0x0D || w.storage[q] == 0x09 { q += 1 } }
        skip()
        if q < w.filled && w.storage[q] == UInt8(ascii: ",") {
          q += 1
          skip()
          if w.base + q == split { return .reachedSplit }
        }
      }
      let step = FastEventParser.parseElement(
        w.storage, count: w.filled, at: pos, fileOffset: w.base, atEOF: w.eof, first: isFirst, into: &batch)
      switch step {
      case .event(let next):
        pos = next
        isFirst = false
      case .end(let next):
        pos = next
        shared.bytesDone.add(w.base + pos - lastReported, ordering: .relaxed)
        return .endOfArray(w.base + pos)
      case .needMore:
        guard w.refill(keepingFrom: pos) else { return failed(at: w.stopOffset) }
        pos = 0
      case .anomaly:
        if debugging {
          let from = w.base + pos
          let text = String(decoding: w.file.bytes(from..<from + 300), as: UTF8.self)
          FileHandle.standardError.write(Data("fast path stopped at byte \(from): \(text)\n".utf8))
        }
        // The place is the element's own first byte, past the whitespace and comma before it.
        var at = pos
        while at < w.filled, [0x20, 0x0A, 0x0D, 0x09, UInt8(ascii: ",")].contains(w.storage[at]) { at += 1 }
        return failed(at: w.base + at)
      }
      sinceReport += 1
      if sinceReport == 4096 {
        sinceReport = 0
        if shared.stop.load(ordering: .relaxed) || options.isCancelled?() == true {
          shared.stop.store(true, ordering: .relaxed)
          return .failed(nil)
        }
        let here = w.base + pos
        let total = shared.bytesDone.add(here - lastReported, ordering: .relaxed).newValue
        lastReported = here
        if first, let progress = options.progress { progress(min(0.99, Double(total) / Double(max(1, w.file.size)))) }
      }
    }
  }

  struct Head {
    /// Everything but the events, decoded by the reference decoder from the non-event members.
    var document: Timeline
    var tagNames: [String]
    var usedSecond: Bool
    /// The second thread's events (rows after the first thread's), and its interned person, source
    /// and tag numbers as the first thread's.
    var second: EventBatch?
    var secondIDs: (people: [UInt32], sources: [UInt32], tags: [UInt32])?
    /// The rows' chronological order (nil: in order already), the sort's spare arrays, and how long
    /// finding it took.
    var order: [UInt32]?
    var spare: [[Int64]]
    var orderSeconds: Double
    /// The look for duplicate event ids, under way.
    var duplicates: DuplicateCheck
  }

  /// Looks for an id two events share (`duplicateID`) on a thread of its own, started as soon as both
  /// threads' events are in: the check (~25 ms at a million events) needs only the ids and their
  /// hashes, which stay until it is done, and its answer only at the end of the load. Started before
  /// the sort, it fills the time the other members' decode leaves a core idle.
  final class DuplicateCheck: Sendable {
    private let found = Locked<String?>(nil)
    private let done = DispatchGroup()

    init(_ first: EventBatch, _ second: EventBatch?, _ file: FileText) {
      let found = self.found, done = self.done
      done.enter()
      Thread.detachNewThread {
        let id = StreamingLoad.duplicateID(first, second, file)
        found.withLock { $0 = id }
        done.leave()
      }
    }

    /// Waits for the check; the id found twice, if any.
    func wait() -> String? {
      done.wait()
      return found.withLock { $0 }
    }
  }

  /// Walks the top-level object: every member but `events` is copied out whole (they are small) and
  /// decoded by the reference decoder afterwards; `events` is streamed. Whatever follows the document's
  /// closing brace must be whitespace to the end of the file, read and checked like the rest.
  private func parseDocument(
    _ batch: inout EventBatch, split: Int?, shared: Shared, done: DispatchGroup
  ) -> Head? {
    var w = StreamWindow(file: file, start: 0, capacity: options.windowSize)
    var pos = 0
    var members: [UInt8] = Array("{".utf8)
    var sawEvents = false
    var usedSecond = false
    /// The second thread's batch, joined to this one's once the document has been read.
    var second: EventBatch?
    /// The other members read before the events' split point, decoded while this thread waits there
    /// for the second (see `head`).
    var early: MembersDecode?

    /// Skips whitespace, refilling as needed; returns the next byte, or nil at the end of the file or
    /// when what was read is not UTF-8 (`w.invalidUTF8` tells which).
    func next() -> UInt8? {
      while true {
        while pos < w.filled, w.storage[pos] == 0x20 || w.storage[pos] == 0x0A || w.storage[pos] == 0x0D || w.storage[pos] == 0x09 {
          pos += 1
        }
        if pos < w.filled { return w.storage[pos] }
        guard w.refill(keepingFrom: pos) else { return nil }
        pos = 0
      }
    }
    /// Runs `scan` (a JSONScanner step from `pos`) until it succeeds within the window. A value that
    /// ends where the window ends may go on after it (a number), so it is scanned again with more.
    func scanned(_ scan: (inout JSONScanner) throws(SyntaxError) -> Void) -> Range<Int>? {
      while true {
        var s = JSONScanner(UnsafeBufferPointer(start: w.storage, count: w.filled), start: pos)
        do {
          try scan(&s)
          if s.pos < w.filled || w.eof {
            let r = pos..<s.pos
            pos = s.pos
            return r
          }
        } catch {
          // Only running out of window is worth a refill; an error inside it is a real one.
          guard s.pos >= w.filled - 4 else { return nil }
        }
        guard w.refill(keepingFrom: pos) else { return nil }
        pos = 0
      }
    }

    /// Gives up where the walk is (or at the character that broke UTF-8).
    func stop() -> Head? {
      shared.record(Problem(offset: w.invalidAt ?? w.base + pos, reason: nil))
      return nil
    }

    if w.filled >= 3, w.storage[0] == 0xEF, w.storage[1] == 0xBB, w.storage[2] == 0xBF { pos = 3 }
    guard next() == UInt8(ascii: "{") else { return stop() }
    pos += 1
    var firstMember = true
    while true {
      guard let b = next() else { return stop() }
      if b == UInt8(ascii: "}") && firstMember {
        pos += 1
        break
      }
      guard let keyRange = scanned({ (s: inout JSONScanner) throws(SyntaxError) in _ = try s.readString() }) else { return stop() }
      let keyBytes = Array(UnsafeBufferPointer(start: w.storage + keyRange.lowerBound, count: keyRange.count))
      guard next() == UInt8(ascii: ":") else { return stop() }
      pos += 1
      // The key as it decodes (`"\u0065vents"` is `events` too).
      let key = keyBytes.dropFirst().dropLast().withUnsafeBufferPointer {
        JSONString.string($0, escaped: keyBytes.contains(UInt8(ascii: "\\")))
      }
      if key == DocumentField.events.name {
        guard !sawEvents, next() == UInt8(ascii: "[") else { return stop() }
        sawEvents = true
        if split != nil { shared.membersBeforeEvents.withLock { $0.members = members } }
        pos += 1
        switch Self.parseEvents(w, &pos, into: &batch, split: split, shared: shared, progressBase: 0, options: options, first: true) {
        case .failed(let problem):
          Self.debug("the first thread stopped")
          if let problem { shared.record(problem) }
          return nil
        case .endOfArray:
          // The first thread reached the end itself: the guess was wrong (or there was none).
          if split != nil { shared.stop.store(true, ordering: .relaxed) }
        case .reachedSplit:
          // The other members read so far (usually all of them, written before the events) are
          // decoded on the core that the first thread to run out of work leaves idle: this one, if
          // the second has not started the decode already.
          shared.stamp("first thread: at the split (\(batch.count) events)")
          early = shared.decodeMembersBeforeEvents(fileName: file.path)
          done.wait()
          shared.stamp("first thread: the second's events in")
          guard let (other, outcome) = shared.second.withLock({ $0 }), case .endOfArray(let end) = outcome else {
            Self.debug("the second thread did not finish the array")
            // It started where the first thread arrived, so where it stopped is a real problem.
            if case .failed(let problem?) = shared.second.withLock({ $0 })?.1 { shared.record(problem) }
            return nil
          }
          Self.debug("first thread: \(batch.count) events; second: \(other.count) from byte \(split!) to \(end)")
          second = other
          usedSecond = true
          // Go on after the array the second thread finished, with the members that follow it.
          w = StreamWindow(file: file, start: end, capacity: options.windowSize)
          pos = 0
        }
      } else {
        guard let valueRange = scanned({ (s: inout JSONScanner) throws(SyntaxError) in try s.skipValue() }) else { return stop() }
        if members.count > 1 { members.append(UInt8(ascii: ",")) }
        members += keyBytes
        members.append(UInt8(ascii: ":"))
        members += UnsafeBufferPointer(start: w.storage + valueRange.lowerBound, count: valueRange.count)
      }
      firstMember = false
      guard let sep = next() else { return stop() }
      pos += 1
      if sep == UInt8(ascii: "}") { break }
      guard sep == UInt8(ascii: ",") else { return stop() }
    }
    // Nothing but whitespace may follow, and the bytes read to find that out must be UTF-8.
    guard next() == nil, !w.invalidUTF8, sawEvents else { return stop() }
    // The early decode (this thread's, or the second's when it finished first) stands if no member
    // followed the events.
    let started = early ?? shared.membersBeforeEvents.withLock { $0.decode }
    let decode = started.flatMap { $0.memberBytes == members.count ? $0 : nil } ?? MembersDecode(members, fileName: file.path, shared: shared)
    return head(decode, batch: &batch, second: second, usedSecond: usedSecond)
  }

  /// The reference decoder's reading of the document's members other than the events (thousands of
  /// people and sources, about 55 ms at a million events), on a thread of its own.
  final class MembersDecode: Sendable {
    /// The size of the members' text it decodes.
    let memberBytes: Int
    private let result = Locked<Result<Timeline, DecodeFailure>?>(nil)
    private let finished = DispatchGroup()

    init(_ members: [UInt8], fileName: String, shared: Shared) {
      memberBytes = members.count
      let result = self.result
      let finished = self.finished
      finished.enter()
      Thread.detachNewThread {
        let r: Result<Timeline, DecodeFailure>
        shared.stamp("members' decode: started")
        defer { shared.stamp("members' decode: ended") }
        do throws(DecodeFailure) {
          r = .success(try StreamingLoad.decodeMembers(members, fileName: fileName))
        } catch {
          r = .failure(error)
        }
        result.withLock { $0 = r }
        finished.leave()
      }
    }

    /// Waits for the decode to finish.
    func get() -> Result<Timeline, DecodeFailure> {
      finished.wait()
      return result.withLock { $0! }
    }
  }

  /// Sorts the threads' rows while the document's other members are decoded (`decode`, on a thread of
  /// its own), and takes them.
  private func head(_ decode: MembersDecode, batch: inout EventBatch, second: EventBatch?, usedSecond: Bool) -> Head? {
    let duplicates = DuplicateCheck(batch, second, file)
    let secondIDs = second.map { remapIDs($0, into: &batch) }
    let sorting = ContinuousClock.now
    var spare: [[Int64]] = []
    let order = EventBatch.order(batch, second, spare: &spare)
    let orderSeconds = sorting.secondsSince()
    shared.stamp("sorted")
    let t: Timeline
    do {
      t = try decode.get().get()
    } catch {
      _ = duplicates.wait()
      // The members were copied out of the file, so the decoder's positions are not the file's.
      shared.record(Problem(offset: nil, reason: error.diagnostics.first.map { [$0.subject, $0.field.map { "field \"\($0)\"" }, $0.message].compactMap { $0 }.joined(separator: ", ") }))
      return nil
    }
    shared.stamp("members in")
    return Head(
      document: t, tagNames: tagNames(batch), usedSecond: usedSecond, second: second, secondIDs: secondIDs,
      order: order, spare: spare, orderSeconds: orderSeconds, duplicates: duplicates)
  }

  private func tagNames(_ batch: EventBatch) -> [String] { (0..<batch.tagNames.count).map { batch.tagNames.key($0) } }

  /// Decodes the document's other members with the reference decoder (an empty events array added).
  private static func decodeMembers(_ members: [UInt8], fileName: String) throws(DecodeFailure) -> Timeline {
    var doc = members
    if doc.count > 1 { doc.append(UInt8(ascii: ",")) }
    doc += Array("\"events\":[]}".utf8)
    return try TimelineDecoder.decode(doc, fileName: fileName)
  }

  /// The second thread's interned person, source and tag ids as the first thread's (interned there when
  /// new); the countries it found unknown join the first's.
  private func remapIDs(_ other: EventBatch, into batch: inout EventBatch) -> (people: [UInt32], sources: [UInt32], tags: [UInt32]) {
    func remap(_ from: ByteInterner, into to: inout ByteInterner) -> [UInt32] {
      (0..<from.count).map { k in UInt32(from.keyBuffer(k).withMemoryRebound(to: UInt8.self) { to.intern($0).id }) }
    }
    batch.unknownCountrySlots.formUnion(other.unknownCountrySlots)
    return (remap(other.personIDs, into: &batch.personIDs), remap(other.sourceIDs, into: &batch.sourceIDs), remap(other.tagNames, into: &batch.tagNames))
  }

  /// An id two events of the batches share, if any (rows of the second after the first's).
  static func duplicateID(_ first: EventBatch, _ second: EventBatch?, _ file: FileText) -> String? {
    let hashes = [first.idHashes.part] + (second.map { [$0.idHashes.part] } ?? [])
    let ids = [first.ids.part] + (second.map { [$0.ids.part] } ?? [])
    return duplicateID(hashes, ids, file)
  }

  /// An id two events share, if any: equal hashes are checked byte for byte (a collision is not a
  /// duplicate). Rows are the parts' one after another.
  static func duplicateID(_ hashes: [UnsafeBufferPointer<UInt64>], _ ids: [UnsafeBufferPointer<TextRef>], _ file: FileText) -> String? {
    let repeated = repeatedHashes(hashes)
    if repeated.isEmpty { return nil }
    var seen: [UInt64: [[UInt8]]] = [:]
    for (p, part) in hashes.enumerated() {
      for (i, h) in part.enumerated() where repeated.contains(h) {
        let ref = ids[p][i]
        // Compared as what they stand for: the same id may be written with and without escapes.
        var id = file.bytes(ref.range)
        if ref.escaped {
          var decoded: [UInt8] = []
          id.withUnsafeBufferPointer { JSONString.unescape($0, into: &decoded) }
          id = decoded
        }
        if seen[h, default: []].contains(id) {
          debug("duplicate event id \(String(decoding: id, as: UTF8.self))")
          return String(decoding: id, as: UTF8.self)
        }
        seen[h, default: []].append(id)
      }
    }
    return nil
  }

  /// The hashes that occur more than once.
  ///
  /// One counting pass and one scatter put the hashes in buckets by their top bits (about 512 a
  /// bucket), then each bucket goes through a small hash table keyed by its low bits, which stays in
  /// the cache: equal hashes meet in the same bucket, and a table finds them in one look each. On a
  /// million random hashes this took about a third of the time of the three counting passes of
  /// 11 bits it replaces (and half the memory: no copy of the hashes first). A bucket whose table
  /// would probe too long (hashes alike in their low bits, which random ids do not make) is sorted
  /// instead, so the time stays bounded.
  static func repeatedHashes(_ hashes: [UnsafeBufferPointer<UInt64>]) -> Set<UInt64> {
    let n = hashes.reduce(0) { $0 + $1.count }
    guard n > 1 else { return [] }
    let bucketBits = max(1, min(20, (Int.bitWidth - n.leadingZeroBitCount) - 9))
    let shift = UInt64(64 - bucketBits)
    let buckets = 1 << bucketBits
    var starts = [Int](repeating: 0, count: buckets + 1)
    let grouped = starts.withUnsafeMutableBufferPointer { c in
      for part in hashes {
        for h in part { c[Int(h >> shift) + 1] += 1 }
      }
      for d in 0..<buckets { c[d + 1] += c[d] }
      var next = Array(c[0..<buckets])
      return [UInt64].filled(count: n) { out in
        next.withUnsafeMutableBufferPointer { next in
          for part in hashes {
            for h in part {
              let d = Int(h >> shift)
              (out.baseAddress! + next[d]).initialize(to: h)
              next[d] += 1
            }
          }
        }
      }
    }
    var largest = 0
    for d in 0..<buckets { largest = max(largest, starts[d + 1] - starts[d]) }
    // Slots for twice the largest bucket; a slot is taken in bucket d when its stamp is d + 1.
    let tableBits = Int.bitWidth - (2 * largest - 1).leadingZeroBitCount
    var table = [UInt64](repeating: 0, count: 1 << tableBits)
    var stamps = [UInt32](repeating: 0, count: 1 << tableBits)
    var repeated = Set<UInt64>()
    grouped.withUnsafeBufferPointer { g in
      table.withUnsafeMutableBufferPointer { table in
        stamps.withUnsafeMutableBufferPointer { stamps in
          for d in 0..<buckets {
            let lo = starts[d], hi = starts[d + 1]
            if hi - lo < 2 { continue }
            let k = hi - lo
            let mask = (1 << (Int.bitWidth - (2 * k - 1).leadingZeroBitCount)) - 1
            let stamp = UInt32(d + 1)
            var probes = 0
            var bounded = true
            for i in lo..<hi {
              let h = g[i]
              var slot = Int(truncatingIfNeeded: h) & mask
              while stamps[slot] == stamp && table[slot] != h {
                slot = (slot + 1) & mask
                probes += 1
              }
              if probes > 8 * k + 64 {
                bounded = false
                break
              }
              if stamps[slot] == stamp {
                repeated.insert(h)
              } else {
                stamps[slot] = stamp
                table[slot] = h
              }
            }
            if !bounded {
              let run = g[lo..<hi].sorted()
              for j in 1..<run.count where run[j - 1] == run[j] { repeated.insert(run[j]) }
            }
          }
        }
      }
    }
    return repeated
  }
}
