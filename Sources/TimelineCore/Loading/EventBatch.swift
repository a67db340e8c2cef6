/// What one loading thread collects: event columns for a run of the file's events, with the ids they
/// cite interned locally (threads merge their interners at the end).
///
/// Rows are appended to raw columns while parsing and become an `EventColumns` of arrays once, at
/// the end (`EventBatch.columns`, in their final order): `Array.append` (a uniqueness check and a capacity check, both out of line)
/// took about 8% of a one-thread load's profile, with twenty appends per event.
struct EventBatch: @unchecked Sendable {
  var ids: RawColumn<TextRef>
  var titles: RawColumn<TextRef>
  var summaries: RawColumn<TextRef>
  var notes: RawColumn<TextRef>
  var starts: RawColumn<TimelineDate>
  var ends: RawColumn<TimelineDate?>
  var confidences: RawColumn<Confidence>
  var countries: RawLists<UInt16>
  var people: RawLists<UInt32>
  var tags: RawLists<UInt32>
  var sources: RawLists<UInt32>
  /// A 64-bit hash of each event id, to find duplicates without keeping a million strings.
  var idHashes: RawColumn<UInt64>
  var personIDs = ByteInterner(capacity: 4096)
  var sourceIDs = ByteInterner(capacity: 256)
  var tagNames = ByteInterner(capacity: 64)
  /// The person and source ids and the tags of up to eight bytes interned so far, looked up before
  /// the interners.
  let personMap = ShortIDMap(capacity: 4096)
  let sourceMap = ShortIDMap(capacity: 256)
  let tagMap = ShortIDMap(capacity: 64)
  /// Where the parser decodes escaped keys and values.
  let scratch = DecodeScratch()
  /// Slots of codes unknown to the built-in table (the file may declare them).
  var unknownCountrySlots = Set<Int>()

  init(expectedEvents n: Int) {
    ids = RawColumn(capacity: n)
    titles = RawColumn(capacity: n)
    summaries = RawColumn(capacity: n)
    notes = RawColumn(capacity: n)
    starts = RawColumn(capacity: n)
    ends = RawColumn(capacity: n)
    confidences = RawColumn(capacity: n)
    countries = RawLists(events: n, values: n * 3)
    people = RawLists(events: n, values: n * 2)
    tags = RawLists(events: n, values: n * 2)
    sources = RawLists(events: n, values: n * 2)
    idHashes = RawColumn(capacity: n)
  }

  var count: Int { ids.count }

  /// Undoes the list values appended for an event that could not be finished (it ran past the end of
  /// the buffer and will be parsed again after a refill).
  mutating func rollBack(countries c: Int, people p: Int, tags t: Int, sources s: Int) {
    countries.values.count = c
    people.values.count = p
    tags.values.count = t
    sources.values.count = s
  }

  /// The rows' chronological order across `first` and `second` (the loading threads' batches, rows of
  /// the second after the first's), or nil when they are in order already; see `EventColumns.stableOrder`.
  static func order(_ first: EventBatch, _ second: EventBatch?, spare: inout [[Int64]]) -> [UInt32]? {
    EventColumns.stableOrder([first.starts.part] + (second.map { [$0.starts.part] } ?? []), spare: &spare)
  }

  /// What a batch's interned ids stand for in the timeline: its person, source and tag numbers mapped
  /// to indexes into the timeline's people, sources and tags (nil: the same numbers).
  struct IDMaps {
    var people: [UInt32]?
    var sources: [UInt32]?
    var tags: [UInt32]?
  }

  /// The columns of `first` and `second` (rows of the second after the first's) in `order` (nil: as
  /// they are), with their cited ids mapped; each raw column is freed once its rows are placed, all but
  /// the ids and their hashes, which the duplicate check may still be reading. The row numbers are the
  /// file order, as the rows were in the file: `order` becomes that column.
  ///
  /// This replaces joining the two threads' columns, mapping ids, and then sorting: each column is
  /// written once, in its final order, instead of three times into fresh memory (on a virtual machine
  /// fresh pages cost about as much as the copying itself).
  static func columns(
    _ first: EventBatch, _ second: EventBatch?, order: [UInt32]?, firstIDs: IDMaps, secondIDs: IDMaps
  ) -> EventColumns {
    let n = first.count + (second?.count ?? 0)
    let order = order ?? (0..<UInt32(n)).map { $0 }
    var ids: [TextRef] = [], titles: [TextRef] = [], summaries: [TextRef] = [], notes: [TextRef] = []
    var starts: [TimelineDate] = [], ends: [TimelineDate?] = [], confidences: [Confidence] = []
    var countries = FlatLists<UInt16>(), people = FlatLists<UInt32>(), tags = FlatLists<UInt32>(), sources = FlatLists<UInt32>()
    let a = first, b = second
    order.withUnsafeBufferPointer { o in
      nonisolated(unsafe) let o = o
      Parallel.run([
        { ids = gather(a.ids, b?.ids, o, free: false) },
        { titles = gather(a.titles, b?.titles, o) }, { summaries = gather(a.summaries, b?.summaries, o) },
        { notes = gather(a.notes, b?.notes, o) }, { starts = gather(a.starts, b?.starts, o) },
        { ends = gather(a.ends, b?.ends, o) }, { confidences = gather(a.confidences, b?.confidences, o) },
        { countries = gather(a.countries, b?.countries, o, nil, nil) },
        { people = gather(a.people, b?.people, o, firstIDs.people, secondIDs.people) },
        { tags = gather(a.tags, b?.tags, o, firstIDs.tags, secondIDs.tags) },
        { sources = gather(a.sources, b?.sources, o, firstIDs.sources, secondIDs.sources) },
      ])
    }
    return EventColumns(
      ids: ids, titles: titles, summaries: summaries, notes: notes, starts: starts, ends: ends, confidences: confidences,
      fileOrder: order, countries: countries, people: people, tags: tags, sources: sources)
  }

  /// Row `order[k]` of the two columns (the second's rows after the first's) as row k.
  private static func gather<T>(_ a: RawColumn<T>, _ b: RawColumn<T>?, _ order: UnsafeBufferPointer<UInt32>, free: Bool = true) -> [T] {
    let na = a.count
    let out = [T].filled(count: order.count) { out in
      let pa = a.base, pb = b?.base ?? a.base
      for k in 0..<order.count {
        let i = Int(order[k])
        (out.baseAddress! + k).initialize(to: i < na ? pa[i] : pb[i &- na])
      }
    }
    if free {
      a.free()
      b?.free()
    }
    return out
  }

  /// List `order[k]` of the two columns as list k, each value v of the first's as `mapA[v]` and of the
  /// second's as `mapB[v]` (v itself when the map is nil).
  private static func gather<T>(
    _ a: RawLists<T>, _ b: RawLists<T>?, _ order: UnsafeBufferPointer<UInt32>, _ mapA: [T]?, _ mapB: [T]?
  ) -> FlatLists<T> {
    let na = a.starts.count - 1
    let total = a.values.count + (b?.values.count ?? 0)
    var f = FlatLists<T>()
    guard total > 0 else {
      // No values at all (`filled` would not call its closure for them): every list is empty.
      f.starts = [UInt32](repeating: 0, count: order.count + 1)
      a.free()
      b?.free()
      return f
    }
    withPointer(mapA) { ma in
      withPointer(mapB) { mb in
        f.starts = .filled(count: order.count + 1) { outStarts in
          f.values = .filled(count: total) { outValues in
            let out = outValues.baseAddress!
            var w = 0
            @inline(__always) func put(_ s: UnsafeMutablePointer<UInt32>, _ v: UnsafeMutablePointer<T>, _ r: Int, _ m: UnsafePointer<T>?) {
              let lo = Int(s[r]), hi = Int(s[r + 1])
              if let m {
                for j in lo..<hi { (out + w + j - lo).initialize(to: m[Int(v[j])]) }
              } else if hi - lo <= 4 {
                // Lists are short: a call of `memmove` for each cost more than the copying.
                let o = out + w, from = v + lo, c = hi - lo
                if c > 0 { o.initialize(to: from[0]) }
                if c > 1 { (o + 1).initialize(to: from[1]) }
                if c > 2 { (o + 2).initialize(to: from[2]) }
                if c > 3 { (o + 3).initialize(to: from[3]) }
              } else {
                (out + w).initialize(from: v + lo, count: hi - lo)
              }
              w += hi - lo
            }
            outStarts[0] = 0
            let sa = a.starts.base, va = a.values.base
            let sb = b?.starts.base ?? sa, vb = b?.values.base ?? va
            for k in 0..<order.count {
              let i = Int(order[k])
              if i < na { put(sa, va, i, ma) } else { put(sb, vb, i &- na, mb) }
              outStarts[k + 1] = UInt32(w)
            }
          }
        }
      }
    }
    a.free()
    b?.free()
    return f
  }

  private static func withPointer<T, R>(_ a: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let a else { return body(nil) }
    return a.withUnsafeBufferPointer { body($0.baseAddress) }
  }
}

/// A growable column of plain values (no references: the memory is freed without deinitialising
/// them) in memory of its own.
///
/// The memory belongs to an `Allocation` object, so a batch dropped half-way (the fast path gave up)
/// frees it without anyone having to remember; the append path never touches that object.
struct RawColumn<T> {
  private(set) var base: UnsafeMutablePointer<T>
  var count = 0
  private(set) var capacity: Int
  private let allocation: Allocation

  final class Allocation {
    var pointer: UnsafeMutableRawPointer?
    init(_ pointer: UnsafeMutableRawPointer) { self.pointer = pointer }
    deinit { pointer?.deallocate() }
  }

  init(capacity: Int) {
    self.capacity = max(16, capacity)
    base = .allocate(capacity: self.capacity)
    allocation = Allocation(UnsafeMutableRawPointer(base))
  }

  @inline(__always) mutating func append(_ value: T) {
    if count == capacity { grow() }
    (base + count).initialize(to: value)
    count += 1
  }

  @inline(never) private mutating func grow() {
    let bigger = UnsafeMutablePointer<T>.allocate(capacity: capacity * 2)
    bigger.update(from: base, count: count)
    base.deallocate()
    base = bigger
    capacity *= 2
    allocation.pointer = UnsafeMutableRawPointer(bigger)
  }

  func array() -> [T] { Array(UnsafeBufferPointer(start: base, count: count)) }

  /// The values, for reading while no one appends.
  var part: UnsafeBufferPointer<T> { UnsafeBufferPointer(start: base, count: count) }

  /// Frees the memory now, for a column that will not be read again by anyone holding a copy.
  func free() {
    allocation.pointer?.deallocate()
    allocation.pointer = nil
  }

}

/// Per-event lists as two raw columns, as `FlatLists` keeps them.
struct RawLists<T: FixedWidthInteger & Sendable> {
  var starts: RawColumn<UInt32>
  var values: RawColumn<T>

  init(events: Int, values n: Int) {
    starts = RawColumn(capacity: events + 1)
    starts.append(0)
    values = RawColumn(capacity: n)
  }

  /// Frees the memory now (see `RawColumn.free`).
  func free() {
    starts.free()
    values.free()
  }

  /// Ends the current event's list (its values were appended one by one to `values`).
  @inline(__always) mutating func closeList() { starts.append(UInt32(values.count)) }
}
