import Foundation
import LightningTestSupport
import XCTest
@testable import LightningOptim

/// A parameter holding a copy of `values`.
func makeParameter(_ values: Tensor) -> Parameter { Parameter(values.copied()) }

/// Builds the optimizer a fixture case names, with PyTorch's argument names.
func makeOptimizer(_ kind: String, _ params: [String: FixtureValue], _ parameters: [Parameter]) throws -> any Optimizer {
    let known: Set<String> = ["lr", "momentum", "dampening", "nesterov", "weight_decay", "betas", "eps", "amsgrad",
                              "alpha", "centered", "lr_decay", "initial_accumulator_value"]
    for key in params.keys where !known.contains(key) { XCTFail("unknown optimizer option \(key)") }
    let lr = try XCTUnwrap(params["lr"]?.double)
    func number(_ key: String, _ fallback: Double) -> Double { params[key]?.double ?? fallback }
    func flag(_ key: String) -> Bool { params[key]?.bool ?? false }
    let betas = params["betas"]?.doubles ?? [0.9, 0.999]
    let adam = AdamOptions(betas: (betas[0], betas[1]), eps: number("eps", 1e-8), weightDecay: number("weight_decay", 0),
                           amsgrad: flag("amsgrad"))
    switch kind {
    case "sgd":
        return try SGD(groups: [ParamGroup(parameters, lr: lr, options: SGDOptions(
            momentum: number("momentum", 0), dampening: number("dampening", 0),
            weightDecay: number("weight_decay", 0), nesterov: flag("nesterov")))])
    case "adam":
        return try Adam(groups: [ParamGroup(parameters, lr: lr, options: adam)])
    case "adamw":
        var options = adam
        options.weightDecay = number("weight_decay", 1e-2)
        return try AdamW(groups: [ParamGroup(parameters, lr: lr, options: options)])
    case "rmsprop":
        return try RMSprop(groups: [ParamGroup(parameters, lr: lr, options: RMSpropOptions(
            alpha: number("alpha", 0.99), eps: number("eps", 1e-8), weightDecay: number("weight_decay", 0),
            momentum: number("momentum", 0), centered: flag("centered")))])
    case "adagrad":
        return try Adagrad(groups: [ParamGroup(parameters, lr: lr, options: AdagradOptions(
            lrDecay: number("lr_decay", 0), weightDecay: number("weight_decay", 0),
            initialAccumulatorValue: number("initial_accumulator_value", 0), eps: number("eps", 1e-10)))])
    default:
        throw XCTSkip("unknown optimizer \(kind)")
    }
}

/// A 1-D float tensor (integer literals alone would be ambiguous with int64 tensors).
func vec(_ values: [Float]) -> Tensor { Tensor(values) }

/// A 2-D float tensor from rows.
func vec(_ rows: [[Float]]) -> Tensor { Tensor(rows) }
