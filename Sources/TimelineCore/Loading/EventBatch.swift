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

  /// The rows' chronological order across the batches (the loading threads' runs, rows of each after
  /// the one before's), or nil when they are in order already; see `EventColumns.stableOrder`.
  static func order(_ batches: [EventBatch], spare: inout [[Int64]]) -> [UInt32]? {
    EventColumns.stableOrder(batches.map(\.starts.part), spare: &spare)
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
  ///
  /// With `counting` (the number of countries' slots, people and tags the lists' values index), the
  /// country, person and tag lists' keys are counted per part as they are written, for the posting
  /// lists (`EventColumns.postingCounts`), instead of `Timeline` reading every list again to count.
  static func columns(
    _ first: EventBatch, _ second: EventBatch?, order: [UInt32]?, firstIDs: IDMaps, secondIDs: IDMaps,
    counting keys: (countries: Int, people: Int, tags: Int)? = nil
  ) -> EventColumns {
    let n = first.count + (second?.count ?? 0)
    let order = order ?? (0..<UInt32(n)).map { $0 }
    var ids: [TextRef] = [], titles: [TextRef] = [], summaries: [TextRef] = [], notes: [TextRef] = []
    var starts: [TimelineDate] = [], ends: [TimelineDate?] = [], confidences: [Confidence] = []
    var countries = FlatLists<UInt16>(), people = FlatLists<UInt32>(), tags = FlatLists<UInt32>(), sources = FlatLists<UInt32>()
    var countryCounts: Postings.PartCounts?, personCounts: Postings.PartCounts?, tagCounts: Postings.PartCounts?
    let a = first, b = second
    order.withUnsafeBufferPointer { o in
      nonisolated(unsafe) let o = o
      // The longest jobs first (the lists, then the widest columns): the cores take the jobs in this
      // order, and a long job taken last would leave the other core idle while it runs.
      Parallel.run([
        { (people, personCounts) = gather(a.people, b?.people, o, firstIDs.people, secondIDs.people, counting: keys?.people) },
        { (tags, tagCounts) = gather(a.tags, b?.tags, o, firstIDs.tags, secondIDs.tags, counting: keys?.tags) },
        { (countries, countryCounts) = gather(a.countries, b?.countries, o, nil, nil, counting: keys?.countries) },
        { sources = gather(a.sources, b?.sources, o, firstIDs.sources, secondIDs.sources, counting: nil).lists },
        { ids = gather(a.ids, b?.ids, o, free: false) },
        { titles = gather(a.titles, b?.titles, o) }, { summaries = gather(a.summaries, b?.summaries, o) },
        { notes = gather(a.notes, b?.notes, o) }, { ends = gather(a.ends, b?.ends, o) },
        { starts = gather(a.starts, b?.starts, o) }, { confidences = gather(a.confidences, b?.confidences, o) },
      ])
    }
    var columns = EventColumns(
      ids: ids, titles: titles, summaries: summaries, notes: notes, starts: starts, ends: ends, confidences: confidences,
      fileOrder: order, countries: countries, people: people, tags: tags, sources: sources)
    if let countryCounts, let personCounts, let tagCounts { columns.postingCounts = (countryCounts, personCounts, tagCounts) }
    return columns
  }

  /// `columns(_:_:order:firstIDs:secondIDs:)` for any number of batches (the runs of a load in parts;
  /// rows of each after the one before's), with `ids[b]` the maps of batch b.
  ///
  /// The batch of each row is looked up once for all columns (`runOf`, a byte a row, in the order of
  /// the rows placed), and each batch's columns are addressed from its first row's global number, so
  /// each value costs a table look-up more than with two batches.
  static func columns(
    _ batches: [EventBatch], order: [UInt32]?, ids: [IDMaps], counting keys: (countries: Int, people: Int, tags: Int)? = nil
  ) -> EventColumns {
    precondition(batches.count <= 255 && ids.count == batches.count)
    var firstRows = [0]
    for b in batches { firstRows.append(firstRows.last! + b.count) }
    let n = firstRows.last!
    let order = order ?? (0..<UInt32(n)).map { $0 }
    // The batch of each row in file order, then of each row as placed.
    let batchOfRow = [UInt8].filled(count: n) { out in
      for (k, b) in batches.enumerated() where b.count > 0 {
        (out.baseAddress! + firstRows[k]).initialize(repeating: UInt8(k), count: b.count)
      }
    }
    let runOf = [UInt8].filled(count: n) { out in
      batchOfRow.withUnsafeBufferPointer { r in
        order.withUnsafeBufferPointer { o in
          for k in 0..<n { (out.baseAddress! + k).initialize(to: r[Int(o[k])]) }
        }
      }
    }
    let all = batches, maps = ids, firsts = firstRows
    var ids: [TextRef] = [], titles: [TextRef] = [], summaries: [TextRef] = [], notes: [TextRef] = []
    var starts: [TimelineDate] = [], ends: [TimelineDate?] = [], confidences: [Confidence] = []
    var countries = FlatLists<UInt16>(), people = FlatLists<UInt32>(), tags = FlatLists<UInt32>(), sources = FlatLists<UInt32>()
    var countryCounts: Postings.PartCounts?, personCounts: Postings.PartCounts?, tagCounts: Postings.PartCounts?
    order.withUnsafeBufferPointer { o in
      runOf.withUnsafeBufferPointer { r in
        nonisolated(unsafe) let o = o, r = r
        // The longest jobs first, as in the gather of two batches.
        Parallel.run([
          { (people, personCounts) = gather(all.map(\.people), firsts, o, r, maps.map(\.people), counting: keys?.people) },
          { (tags, tagCounts) = gather(all.map(\.tags), firsts, o, r, maps.map(\.tags), counting: keys?.tags) },
          { (countries, countryCounts) = gather(all.map(\.countries), firsts, o, r, nil, counting: keys?.countries) },
          { sources = gather(all.map(\.sources), firsts, o, r, maps.map(\.sources), counting: nil).lists },
          { ids = gather(all.map(\.ids), firsts, o, r, free: false) },
          { titles = gather(all.map(\.titles), firsts, o, r) }, { summaries = gather(all.map(\.summaries), firsts, o, r) },
          { notes = gather(all.map(\.notes), firsts, o, r) }, { ends = gather(all.map(\.ends), firsts, o, r) },
          { starts = gather(all.map(\.starts), firsts, o, r) }, { confidences = gather(all.map(\.confidences), firsts, o, r) },
        ])
      }
    }
    var columns = EventColumns(
      ids: ids, titles: titles, summaries: summaries, notes: notes, starts: starts, ends: ends, confidences: confidences,
      fileOrder: order, countries: countries, people: people, tags: tags, sources: sources)
    if let countryCounts, let personCounts, let tagCounts { columns.postingCounts = (countryCounts, personCounts, tagCounts) }
    return columns
  }

  /// Row `order[k]` of the columns (rows of each after the one before's, the first of column b being
  /// row `firstRows[b]`; `runOf[k]` the column of `order[k]`) as row k.
  private static func gather<T>(
    _ columns: [RawColumn<T>], _ firstRows: [Int], _ order: UnsafeBufferPointer<UInt32>, _ runOf: UnsafeBufferPointer<UInt8>,
    free: Bool = true
  ) -> [T] {
    // Each column's base moved back by its first row's number, so that row i of the whole is at bases[b] + i.
    let bases = columns.indices.map { b in UnsafePointer(columns[b].base) - firstRows[b] }
    let out = bases.withUnsafeBufferPointer { bases in
      [T].filled(count: order.count) { out in
        for k in 0..<order.count {
          (out.baseAddress! + k).initialize(to: bases[Int(runOf[k])][Int(order[k])])
        }
      }
    }
    if free { for c in columns { c.free() } }
    return out
  }

  /// List `order[k]` of the lists (as in the gather of columns above) as list k, each value v of batch
  /// b's as `maps[b][v]` (v itself when the map is nil).
  private static func gather<T>(
    _ lists: [RawLists<T>], _ firstRows: [Int], _ order: UnsafeBufferPointer<UInt32>, _ runOf: UnsafeBufferPointer<UInt8>,
    _ maps: [[T]?]?, counting keys: Int?
  ) -> (lists: FlatLists<T>, counts: Postings.PartCounts?) {
    var counts = keys.map { Postings.PartCounts(events: order.count, parts: Postings.parts(events: order.count), keys: $0) }
    if counts == nil { return (gather(lists, firstRows, order, runOf, maps, counter: nil), nil) }
    let out = counts!.counting { counter in
      withUnsafeMutablePointer(to: &counter) { gather(lists, firstRows, order, runOf, maps, counter: $0) }
    }
    return (out, counts)
  }

  private static func gather<T>(
    _ lists: [RawLists<T>], _ firstRows: [Int], _ order: UnsafeBufferPointer<UInt32>, _ runOf: UnsafeBufferPointer<UInt8>,
    _ maps: [[T]?]?, counter: UnsafeMutablePointer<Postings.PartCounts.Counter>?
  ) -> FlatLists<T> {
    let total = lists.reduce(0) { $0 + $1.values.count }
    var f = FlatLists<T>()
    guard total > 0 else {
      f.starts = [UInt32](repeating: 0, count: order.count + 1)
      for l in lists { l.free() }
      return f
    }
    // With maps, every batch gets one (the identity for those without), so that no row asks: all in
    // one array, batch b's from `mapStarts[b]`.
    var flatMaps: [T] = []
    var mapStarts: [Int] = []
    let mapped = maps.map { !$0.allSatisfy { $0 == nil } } ?? false
    if let maps, mapped {
      for (b, m) in maps.enumerated() {
        mapStarts.append(flatMaps.count)
        if let m {
          flatMaps += m
        } else {
          let v = lists[b].values.part
          let count = v.isEmpty ? 0 : Int(v.max()!) + 1
          flatMaps += (0..<count).map { T(truncatingIfNeeded: $0) }
        }
      }
    }
    let starts = lists.indices.map { b in UnsafePointer(lists[b].starts.base) - firstRows[b] }
    let values = lists.map { UnsafePointer($0.values.base) }
    flatMaps.withUnsafeBufferPointer { fm in
      let mapBases: [UnsafePointer<T>]? = mapped ? mapStarts.map { fm.baseAddress! + $0 } : nil
      f.starts = .filled(count: order.count + 1) { outStarts in
        f.values = .filled(count: total) { outValues in
          let out = outValues.baseAddress!
          var w = 0
          outStarts[0] = 0
          for k in 0..<order.count {
            let b = Int(runOf[k]), i = Int(order[k])
            let s = starts[b], v = values[b]
            let lo = Int(s[i]), hi = Int(s[i + 1])
            let before = w
            if let mapBases {
              let m = mapBases[b]
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
            outStarts[k + 1] = UInt32(w)
            if let counter { counter.pointee.count(out + before, w - before) }
          }
        }
      }
    }
    for l in lists { l.free() }
    return f
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
  /// second's as `mapB[v]` (v itself when the map is nil); with `counting` (the number of keys), the
  /// lists' keys counted per part as `Postings` would count them.
  static func gather<T>(
    _ a: RawLists<T>, _ b: RawLists<T>?, _ order: UnsafeBufferPointer<UInt32>, _ mapA: [T]?, _ mapB: [T]?,
    counting keys: Int?
  ) -> (lists: FlatLists<T>, counts: Postings.PartCounts?) {
    var counts = keys.map { Postings.PartCounts(events: order.count, parts: Postings.parts(events: order.count), keys: $0) }
    if counts == nil { return (gather(a, b, order, mapA, mapB, counter: nil), nil) }
    let lists = counts!.counting { counter in withUnsafeMutablePointer(to: &counter) { gather(a, b, order, mapA, mapB, counter: $0) } }
    return (lists, counts)
  }

  private static func gather<T>(
    _ a: RawLists<T>, _ b: RawLists<T>?, _ order: UnsafeBufferPointer<UInt32>, _ mapA: [T]?, _ mapB: [T]?,
    counter: UnsafeMutablePointer<Postings.PartCounts.Counter>?
  ) -> FlatLists<T> {
    let na = a.starts.count - 1
    let total = a.values.count + (b?.values.count ?? 0)
    var f = FlatLists<T>()
    guard total > 0 else {
      // No values at all (`filled` would not call its closure for them): every list is empty, and
      // every key's count is 0.
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
              let before = w
              if i < na { put(sa, va, i, ma) } else { put(sb, vb, i &- na, mb) }
              outStarts[k + 1] = UInt32(w)
              if let counter { counter.pointee.count(out + before, w - before) }
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
