import Foundation
import Synchronization

/// One streamed load of a large file (see `TimelineLoader`). Returns nil whenever the file is not valid,
/// for the reference decoder to take over; `shared.problem` then says where it stopped, and why when it
/// knows (a file too large for the reference decoder gets that as its message).
///
/// With two threads, the events are cut into parts at element boundaries guessed from the text
/// (`},{"`): the first thread parses the document from the start, the second the parts from the
/// middle on, and each takes parts left to the other when it runs out (see `Parts`). A guess that
/// was wrong (the pattern was inside a string) is passed by the parse before it, which carries on.
/// Either way the result is what one thread would have produced.
struct StreamingLoad {
  let file: FileText
  let options: TimelineLoader.Options
  let shared = Shared()

  /// Shared between the two threads.
  final class Shared: Sendable {
    let bytesDone = Atomic<Int>(0)
    let stop = Atomic<Bool>(false)
    /// The first place the file was found not to be valid, and what is wrong when that is known.
    let problem = Locked<Problem?>(nil)
    /// The document's members read before the events (as `parseDocument` collects them), once the
    /// first thread has reached the events, and their decode once a thread has started it.
    let membersBeforeEvents = Locked<(members: [UInt8]?, decode: MembersDecode?)>((nil, nil))

    /// Starts the decode of the members read before the events, unless it is under way already or
    /// they are not known yet; returns it. The first thread starts it when its first run of parts
    /// stops (or whichever thread first finds no part left): the two threads share the parts that are
    /// left, so the core the decode takes from them for 20-40 ms is made up by the other taking more.
    @discardableResult
    func decodeMembersBeforeEvents(fileName: String) -> MembersDecode? {
      membersBeforeEvents.withLock { m in
        if m.decode == nil, let members = m.members { m.decode = MembersDecode(members, fileName: fileName) }
        return m.decode
      }
    }

    func record(_ p: Problem) {
      problem.withLock { current in
        if let c = current, let o = c.offset, let n = p.offset, o <= n { return }
        if current == nil || p.offset != nil { current = p }
      }
    }
  }

  /// The events array cut into parts at guessed element boundaries, shared by the two threads as they
  /// go (a thread that is slowed down, by the other members' decode or by the machine, takes fewer).
  ///
  /// Part 0 starts with the document; part j > 0 at `bounds[j]`, a place that looks like the start of
  /// an element (`},{"`) but may be inside a string. A run of parts is parsed by one thread into one
  /// batch: it starts at a part it claimed and, whenever it lands exactly on the next part's start,
  /// claims that part too and goes on, or stops there (`.reachedSplit`) if another thread has it. A
  /// run that passes the next start without landing on it (a guess inside a string, if the run itself
  /// started at an element) carries on alone to the end of the array. The runs are then followed from
  /// part 0: each one that stops on a part's start is followed by the run that started there, which is
  /// then known to have started at an element. What that chain gives is exactly what one thread would
  /// have; runs off the chain (started inside strings) are dropped, whatever they found.
  ///
  /// A part can be taken by landing on its start only by the run that owns the part before it, so a
  /// run that stops on part j's start always finds a run that started there.
  final class Parts: Sendable {
    /// Where each part starts (`bounds[0]` is not used: part 0 starts with the document).
    let bounds: [Int]
    private let claimed: Mutex<[Bool]>
    /// The runs, by the part they started at: their events and how their parse ended.
    let runs = Mutex<[Int: (EventBatch, EventsOutcome)]>([:])

    /// The part the second thread starts at, claimed for it from the start (the middle one), so that
    /// the first thread always stops there even when the second is slow to start (as before parts).
    let secondStart: Int?

    init(bounds: [Int]) {
      self.bounds = bounds
      var c = [Bool](repeating: false, count: bounds.count)
      c[0] = true
      secondStart = bounds.count > 1 ? bounds.count / 2 : nil
      if let s = secondStart { c[s] = true }
      claimed = Mutex(c)
    }

    var count: Int { bounds.count }

    /// Where the part after `part` starts (Int.max after the last).
    @inline(__always) func start(after part: Int) -> Int { part + 1 < bounds.count ? bounds[part + 1] : Int.max }

    /// Claims the parts that start before the events (at `offset`) for the first run, which is in the
    /// last of them: they are not events. Returns that part, or nil when another run has one of them
    /// (it started in the members before the events; the first run then goes on alone).
    func enter(at offset: Int) -> Int? {
      claimed.withLock { c in
        var last = 0
        var mine = true
        for j in 1..<c.count where bounds[j] < offset {
          if c[j] { mine = false }
          c[j] = true
          last = j
        }
        return mine ? last : nil
      }
    }

    /// Claims part `j` for the run that landed on its start, or passed it (a wrong guess: the run
    /// that owns the part before it is then the one that parses it); false if another run has it.
    func claim(_ j: Int) -> Bool {
      claimed.withLock { c in
        if c[j] { return false }
        c[j] = true
        return true
      }
    }

    /// Claims a part for a new run: the middle one of the longest stretch of parts no one has taken,
    /// so that the run claiming the parts before it has as much left as this one. Returns it and where
    /// the next claimed part starts (or nil: all are taken).
    func claimFree(size: Int) -> (part: Int, limit: Int)? {
      claimed.withLock { c in
        var best = (start: 0, length: 0)
        var j = 0
        while j < c.count {
          if c[j] {
            j += 1
            continue
          }
          var k = j
          while k < c.count && !c[k] { k += 1 }
          if k - j > best.length { best = (j, k - j) }
          j = k
        }
        guard best.length > 0 else { return nil }
        let part = best.start + best.length / 2
        c[part] = true
        let end = best.start + best.length
        return (part, end < c.count ? bounds[end] : size)
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
    /// The parse arrived exactly at the start of this part, which another run had claimed.
    case reachedSplit(Int)
    /// Where the file is not valid, or nil when the parse was stopped (cancelled, or by the other thread).
    case failed(Problem?)
  }

  /// With TIMELINE_DEBUG_LOAD set: a time stamp (ms of uptime) and a label, to see when each
  /// thread's work starts and ends.
  static func stamp(_ label: @autoclosure () -> String) {
    if ProcessInfo.processInfo.environment["TIMELINE_DEBUG_LOAD"] != nil {
      let ms = Double(DispatchTime.now().uptimeNanoseconds) / 1e6
      FileHandle.standardError.write(Data("timeline stamp \(String(format: "%.1f", ms)) \(label())\n".utf8))
    }
  }

  static func debug(_ message: @autoclosure () -> String) {
    if ProcessInfo.processInfo.environment["TIMELINE_DEBUG_LOAD"] != nil {
      FileHandle.standardError.write(Data("timeline load: \(message())\n".utf8))
    }
  }

  func run(timings: inout TimelineLoader.Timings) -> Timeline? {
    let started = Date()
    Self.stamp("run start")
    let shared = self.shared
    let size = file.size
    var parts: Parts?
    if options.threads >= 2 && size >= options.parallelThreshold {
      parts = findParts()
    }
    // The second thread takes parts from the middle on (then whatever is left), in the background.
    let done = DispatchGroup()
    if let parts {
      done.enter()
      let f = file
      let opts = options
      Thread.detachNewThread {
        StreamingLoad.stamp("T2 start")
        StreamingLoad.work(parts, starting: parts.secondStart, file: f, shared: shared, options: opts)
        StreamingLoad.stamp("T2 end")
        done.leave()
      }
    }

    var batch = EventBatch(expectedEvents: (parts.map { $0.count > 1 ? $0.bounds[1] : size } ?? size) / 300)
    guard var head = parseDocument(&batch, parts: parts, shared: shared, done: done) else {
      shared.stop.store(true, ordering: .relaxed)
      if parts != nil { done.wait() }
      Self.debug("the document needs the reference decoder (parts: \(parts.map { String($0.count) } ?? "none"))")
      return nil
    }
    // The chronological order was found while the members were decoded: sorting, not parsing.
    timings.parse = Date().timeIntervalSince(started) - head.orderSeconds
    Self.stamp("parse done (order \(head.orderSeconds))")
    timings.path = head.usedSecond ? "stream-2" : "stream-1"
    timings.runs = 1 + head.others.count

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
    // The columns in order, each written once, with the other runs' ids mapped through the first's.
    let placed = ContinuousClock.now
    let firstIDs = EventBatch.IDMaps(people: personMap, sources: sourceMap, tags: nil)
    let otherIDs = head.otherIDs.map { ids in
      EventBatch.IDMaps(people: ids.people.map { personMap[Int($0)] }, sources: ids.sources.map { sourceMap[Int($0)] }, tags: ids.tags)
    }
    let counting = (CountryTable.slotCount, assembler.people.count, head.tagNames.count)
    var columns =
      head.others.count <= 1
      ? EventBatch.columns(
        batch, head.others.first, order: head.order, firstIDs: firstIDs, secondIDs: otherIDs.first ?? .init(), counting: counting)
      : EventBatch.columns([batch] + head.others, order: head.order, ids: [firstIDs] + otherIDs, counting: counting)
    // Moved out of `head`, so that the arrays are not shared and are written in place (shared, each
    // was copied, into fresh pages, when the day keys were written into it).
    var spare: [[Int64]] = []
    swap(&spare, &head.spare)
    columns.spare = SpareWords(consume spare)
    timings.sort = head.orderSeconds + placed.secondsSince()
    let timeline = assembler.timeline(
      ordered: columns, tags: head.tagNames, document: DocumentText(file: file), timings: &timings)
    if let id = head.duplicates.wait() {
      Self.debug("duplicate ids need the reference decoder")
      shared.record(Problem(offset: nil, reason: "two events have the id \"\(TerminalSafety.sanitized(id))\""))
      return nil
    }
    options.progress?(1)
    return timeline
  }

  /// The parts the events are parsed in (see `Parts`): about `options.partBytes` each (at least two,
  /// at most 256), each starting at a guessed element boundary.
  private func findParts() -> Parts {
    let size = file.size
    let n = max(2, min(256, options.parts ?? size / options.partBytes))
    var bounds = [0]
    // A guess not found near its place (elements that large are rare) is left out.
    let within = min(1 << 20, max(1 << 16, size / n / 8))
    for k in 1..<n {
      let near = size * k / n
      guard let b = findSplit(near: max(near, bounds.last! + 1), within: within) else { continue }
      bounds.append(b)
    }
    return Parts(bounds: bounds)
  }

  /// Guesses an element boundary (`}` `,` `{` `"`, with any whitespace) at or after `offset`: in the
  /// first 4 KiB after it (where one nearly always is), else in the first `within` bytes.
  private func findSplit(near offset: Int, within: Int) -> Int? {
    if let b = findSplit(near: offset, scanning: 1 << 12) { return b }
    return within > 1 << 12 ? findSplit(near: offset, scanning: within) : nil
  }

  private func findSplit(near offset: Int, scanning within: Int) -> Int? {
    guard offset < file.size else { return nil }
    let bytes = file.bytes(offset..<min(file.size, offset + within))
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

  /// Takes parts no run has claimed and parses a run from each (see `Parts`) until none is left.
  /// `starting` is a part claimed for this thread already, to begin with.
  static func work(_ parts: Parts, starting: Int? = nil, file: FileText, shared: Shared, options: TimelineLoader.Options) {
    var claimed = starting.map { (part: $0, limit: file.size) }
    while !shared.stop.load(ordering: .relaxed), let (j, limit) = claimed ?? parts.claimFree(size: file.size) {
      claimed = nil
      if options.isCancelled?() == true {
        shared.stop.store(true, ordering: .relaxed)
        return
      }
      let start = parts.bounds[j]
      stamp("run from part \(j) of \(parts.count)")
      var batch = EventBatch(expectedEvents: (limit - start) / 300)
      let window = StreamWindow(file: file, start: start, capacity: options.windowSize)
      var pos = 0
      var part = j
      options.enteringPart?(j, j)
      let outcome = parseEvents(window, &pos, into: &batch, parts: parts, part: &part, shared: shared, progressBase: 0, options: options, first: true)
      stamp("run from part \(j) ended in part \(part): \(outcome), \(batch.count) events")
      parts.runs.withLock { $0[j] = (batch, outcome) }
    }
    // Out of work: the other members' decode, if no one has started it.
    if !shared.stop.load(ordering: .relaxed) { shared.decodeMembersBeforeEvents(fileName: file.path) }
  }

  /// Parses array elements from `pos` until the closing bracket or, with parts, until the start of a
  /// part another run has claimed (`part` is the part the parse is in; see `Parts`).
  static func parseEvents(
    _ w: StreamWindow, _ pos: inout Int, into batch: inout EventBatch, parts: Parts?, part: inout Int, shared: Shared,
    progressBase: Int, options: TimelineLoader.Options, first: Bool
  ) -> EventsOutcome {
    /// Gives up at a place where the file is not valid.
    func failed(at offset: Int) -> EventsOutcome { .failed(Problem(offset: offset, reason: nil)) }
    if w.invalidUTF8 { return failed(at: w.stopOffset) }
    var sinceReport = 0
    var lastReported = w.base + pos
    var isFirst = first
    /// Where the next part starts (Int.max: no more parts to look for).
    var next = parts?.start(after: part) ?? Int.max
    let run = part
    if let parts, part == 0, parts.bounds.count > 1 {
      // The first run enters the events after the parts that start before them.
      if let p = parts.enter(at: w.base + pos) {
        part = p
        next = parts.start(after: p)
      } else {
        next = Int.max
      }
    }
    while true {
      if next != Int.max, !isFirst, w.base + pos + 65536 > next, let parts {
        if w.base + pos > next {
          // Passed without landing on it: the guess was inside a string (or this run started in one).
          // This run goes on into that part if no run started there, else alone to the end of the array.
          if parts.claim(part + 1) {
            part += 1
            next = parts.start(after: part)
            options.enteringPart?(run, part)
          } else {
            next = Int.max
          }
          continue
        }
        // Does the next element (past whitespace and its comma) start exactly at the next part?
        // A short look ahead is enough; if it is not there, the parse passes it (above).
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
          if w.base + q == next {
            // Between parts: a cancelled load stops here (not only every 4,096 events).
            if shared.stop.load(ordering: .relaxed) || options.isCancelled?() == true {
              shared.stop.store(true, ordering: .relaxed)
              return .failed(nil)
            }
            // Landed on it: go on into that part, unless another run has it.
            guard parts.claim(part + 1) else {
              shared.bytesDone.add(w.base + pos - lastReported, ordering: .relaxed)
              return .reachedSplit(part + 1)
            }
            part += 1
            next = parts.start(after: part)
            options.enteringPart?(run, part)
          }
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
        if ProcessInfo.processInfo.environment["TIMELINE_DEBUG_LOAD"] != nil {
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
    /// The other runs' events (rows after the first's, in file order), and their interned person,
    /// source and tag numbers as the first's.
    var others: [EventBatch]
    var otherIDs: [(people: [UInt32], sources: [UInt32], tags: [UInt32])]
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

    init(_ batches: [EventBatch], _ file: FileText) {
      let found = self.found, done = self.done
      done.enter()
      Thread.detachNewThread {
        let id = StreamingLoad.duplicateID(batches, file)
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
    _ batch: inout EventBatch, parts: Parts?, shared: Shared, done: DispatchGroup
  ) -> Head? {
    var w = StreamWindow(file: file, start: 0, capacity: options.windowSize)
    var pos = 0
    var members: [UInt8] = Array("{".utf8)
    var sawEvents = false
    var usedSecond = false
    /// The other runs' batches in file order, joined to this one's once the document has been read.
    var others: [EventBatch] = []
    /// The other members read before the events, decoded while the threads parse them (see `head`).
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
        if parts != nil { shared.membersBeforeEvents.withLock { $0.members = members } }
        Self.stamp("T1 at events")
        pos += 1
        var part = 0
        switch Self.parseEvents(w, &pos, into: &batch, parts: parts, part: &part, shared: shared, progressBase: 0, options: options, first: true) {
        case .failed(let problem):
          Self.debug("the first thread stopped")
          if let problem { shared.record(problem) }
          return nil
        case .endOfArray:
          // The first run reached the end itself: it took every part, or passed a wrong guess (or
          // there were no parts).
          if parts != nil { shared.stop.store(true, ordering: .relaxed) }
        case .reachedSplit(var j):
          // Help with the parts left, then follow the runs from where this one stopped.
          Self.stamp("T1 reached part \(j) with \(batch.count) events")
          // The other members read so far (usually all of them, written before the events) are
          // decoded while the threads finish the parts: the one this slows down takes fewer. (Begun
          // as soon as the first thread reaches the events, with three threads on two cores for
          // longer, the parse took 0.32-0.40 s against 0.29-0.38 s.)
          early = shared.decodeMembersBeforeEvents(fileName: file.path)
          Self.work(parts!, file: file, shared: shared, options: options)
          done.wait()
          Self.stamp("T1 waited")
          let runs = parts!.runs.withLock { $0 }
          var end: Int?
          while end == nil {
            guard let (other, outcome) = runs[j] else {
              // Not expected (see `Parts`); the reference decoder decides.
              Self.debug("no run started at part \(j)")
              return nil
            }
            switch outcome {
            case .endOfArray(let e): end = e
            case .reachedSplit(let k): j = k
            case .failed(let problem):
              // It started where the run before it arrived, so where it stopped is a real problem.
              Self.debug("the run from part \(j) did not finish the array")
              if let problem { shared.record(problem) }
              return nil
            }
            others.append(other)
          }
          Self.debug("first run: \(batch.count) events; then \(others.count) runs of \(others.map(\.count)) events to byte \(end!)")
          usedSecond = true
          // Go on after the array the second thread finished, with the members that follow it.
          w = StreamWindow(file: file, start: end!, capacity: options.windowSize)
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
    let decode = started.flatMap { $0.memberBytes == members.count ? $0 : nil } ?? MembersDecode(members, fileName: file.path)
    return head(decode, batch: &batch, others: others, usedSecond: usedSecond)
  }

  /// The reference decoder's reading of the document's members other than the events (thousands of
  /// people and sources, about 55 ms at a million events), on a thread of its own.
  final class MembersDecode: Sendable {
    /// The size of the members' text it decodes.
    let memberBytes: Int
    private let result = Locked<Result<Timeline, DecodeFailure>?>(nil)
    private let finished = DispatchGroup()

    init(_ members: [UInt8], fileName: String) {
      memberBytes = members.count
      let result = self.result
      let finished = self.finished
      finished.enter()
      Thread.detachNewThread {
        StreamingLoad.stamp("decode start")
        defer { StreamingLoad.stamp("decode end") }
        let r: Result<Timeline, DecodeFailure>
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
  private func head(_ decode: MembersDecode, batch: inout EventBatch, others: [EventBatch], usedSecond: Bool) -> Head? {
    let duplicates = DuplicateCheck([batch] + others, file)
    let otherIDs = others.map { remapIDs($0, into: &batch) }
    Self.stamp("remapped")
    let sorting = ContinuousClock.now
    var spare: [[Int64]] = []
    let order = EventBatch.order([batch] + others, spare: &spare)
    let orderSeconds = sorting.secondsSince()
    Self.stamp("ordered")
    let t: Timeline
    do {
      t = try decode.get().get()
      Self.stamp("decode got")
    } catch {
      _ = duplicates.wait()
      // The members were copied out of the file, so the decoder's positions are not the file's.
      shared.record(Problem(offset: nil, reason: error.diagnostics.first.map { [$0.subject, $0.field.map { "field \"\($0)\"" }, $0.message].compactMap { $0 }.joined(separator: ", ") }))
      return nil
    }
    return Head(
      document: t, tagNames: tagNames(batch), usedSecond: usedSecond, others: others, otherIDs: otherIDs,
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

  /// An id two events of the batches share, if any (rows of each after the one before's).
  static func duplicateID(_ batches: [EventBatch], _ file: FileText) -> String? {
    duplicateID(batches.map(\.idHashes.part), batches.map(\.ids.part), file)
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
