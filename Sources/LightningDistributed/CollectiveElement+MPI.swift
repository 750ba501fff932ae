import CMPI

extension CollectiveElement {
    /// The MPI datatype that carries this element type.
    var mpiDatatype: MPI_Datatype {
        switch self {
        case .float32: return cmpi_float()
        case .float64: return cmpi_double()
        case .int64: return cmpi_int64()
        case .uint8: return cmpi_uint8()
        }
    }
}

extension ReduceOp {
    /// The MPI reduction; a mean is an MPI sum followed by one scaling pass.
    var mpiOp: MPI_Op {
        switch self {
        case .sum, .mean: return cmpi_sum()
        case .max: return cmpi_max()
        case .min: return cmpi_min()
        }
    }
}
