/// Variable-length lists stored flat: values of list i are `values[starts[i]..<starts[i+1]]`.
struct FlatLists<T: FixedWidthInteger & Sendable>: Sendable {
  var starts: [UInt32] = [0]
  var values: [T] = []

  var count: Int { starts.count - 1 }

  subscript(i: Int) -> ArraySlice<T> { values[Int(starts[i])..<Int(starts[i + 1])] }

  mutating func append<S: Sequence>(_ list: S) where S.Element == T {
    values.append(contentsOf: list)
    starts.append(UInt32(values.count))
  }

  /// Ends the current list (whose values were appended one by one to `values`).
  mutating func closeList() { starts.append(UInt32(values.count)) }

  /// The lists reordered so that new list k is old list `order[k]`.
  func permuted(_ order: [UInt32]) -> FlatLists<T> {
    var out = FlatLists<T>()
    out.starts = .filled(count: order.count + 1) { buffer in
      buffer[0] = 0
      var total: UInt32 = 0
      for (k, o) in order.enumerated() {
        let i = Int(o)
        total += starts[i + 1] - starts[i]
        buffer[k + 1] = total
      }
    }
    out.values = .filled(count: values.count) { buffer in
      values.withUnsafeBufferPointer { src in
        var w = 0
        for o in order {
          let i = Int(o)
          for j in Int(starts[i])..<Int(starts[i + 1]) {
            (buffer.baseAddress! + w).initialize(to: src[j])
            w += 1
          }
        }
      }
    }
    return out
  }
}
