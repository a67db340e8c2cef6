/// Turns byte offsets into 1-based line and column numbers.
struct LineMap {
  private let lineStarts: [Int]
  private let bytes: UnsafeBufferPointer<UInt8>

  /// Indexes line starts once, so many diagnostics cost one pass over the file.
  init(_ bytes: UnsafeBufferPointer<UInt8>) {
    var starts = [0]
    for i in 0..<bytes.count where bytes[i] == 0x0A { starts.append(i + 1) }
    lineStarts = starts
    self.bytes = bytes
  }

  func location(of offset: Int) -> (line: Int, column: Int) {
    let o = max(0, min(offset, bytes.count))
    // The last line start not after the offset.
    var lo = 0
    var hi = lineStarts.count - 1
    while lo < hi {
      let mid = (lo + hi + 1) / 2
      if lineStarts[mid] <= o { lo = mid } else { hi = mid - 1 }
    }
    var start = lineStarts[lo]
    // A byte-order mark is not a column.
    if lo == 0, bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF, o >= 3 { start = 3 }
    // Characters before the offset on its line, counted by their first bytes.
    guard let base = bytes.baseAddress, o > start else { return (lo + 1, 1) }
    return (lo + 1, 1 + ByteScan.characters(base + start, o - start))
  }
}
