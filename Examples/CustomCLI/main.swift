import LightningCLI

// Your own model and data behind LightningCLI: `custom-cli-example fit --model.width 64`,
// `--print_config`, `--config run.yaml`, `predict --ckpt_path best --predict.output p.csv` all work
// as they do for `swift-lightning`. The first model and data listed are the defaults; the
// built-in ones are added after them.
LightningCLI(
    models: [SineRegressor.factory] + ModelFactory.builtIn,
    data: [SineDataModule.factory] + DataFactory.builtIn,
    defaultConfig: """
        trainer:
          max_epochs: 30
        """,
    programName: "custom-cli-example"
).main()
