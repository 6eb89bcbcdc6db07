"""glassbox model factory: tokenizer, BERT, pretraining, fine-tuning, export and quantization."""
