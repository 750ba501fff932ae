import LightningCLI

// The built-in models and data behind LightningCLI. With no flags, `swift-lightning fit` trains
// the MLP on the bundled digits for 20 epochs, keeping the checkpoint with the lowest val_loss.
LightningCLI(
    models: ModelFactory.builtIn,
    data: DataFactory.builtIn,
    defaultConfig: """
        trainer:
          max_epochs: 20
          callbacks:
            - class_path: ModelCheckpoint
              init_args:
                monitor: val_loss
                mode: min
        """,
    programName: "swift-lightning"
).main()
