/// Calls `body` with `flag` as a literal, so each branch inlines a copy of `body` in which the
/// flag is a constant: loops over elements then compile without the branch and vectorize.
@inline(__always)
func specialized(_ flag: Bool, _ body: (Bool) -> Void) {
    if flag { body(true) } else { body(false) }
}
