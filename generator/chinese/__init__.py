"""Chinese text helpers every stage may use: scripts (simplified / traditional) and numerals."""
