return Campaign.Run(args);
