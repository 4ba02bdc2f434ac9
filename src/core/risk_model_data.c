/* generated stub */
#include "core/risk_model.h"
const struct risk_model_gram risk_model_grams[] = {{"", 0}};
const int risk_model_ngrams = 0;
const double risk_model_bias = -5.0;
