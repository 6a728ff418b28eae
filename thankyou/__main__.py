from thankyou.cli import main

main()
