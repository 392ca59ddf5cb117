from pilotti.scale.bench.run import main

main()
