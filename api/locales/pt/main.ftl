# Portuguese.

## Eligibility reasons.

eligibility-not-validated = o programa exige uma validação aprovada
eligibility-validation-expired = a validação da organização expirou: renove-a
eligibility-country-not-served = o programa não está disponível no país da organização
eligibility-type-not-eligible = o programa não se destina a este tipo de organização
eligibility-budget-over = o orçamento anual da organização ultrapassa o limite do programa
eligibility-budget-unknown = o programa tem um limite de orçamento: declare o orçamento anual da organização
eligibility-budget-other-currency = o orçamento da organização está em uma moeda diferente da do limite do programa
eligibility-cap-reached = a organização já recebeu o máximo que este programa concede por período ({ $remaining ->
        [one] resta { $remaining } unidade
       *[other] restam { $remaining } unidades
    })
eligibility-cap-reached-resets = a organização já recebeu o máximo que este programa concede por período ({ $remaining ->
        [one] resta { $remaining } unidade
       *[other] restam { $remaining } unidades
    }); novas unidades ficam disponíveis em { $resets }
eligibility-out-of-stock = o programa não tem mais estoque
eligibility-program-inactive = o programa não está aceitando pedidos

## Faltas ao reservar unidades.

shortfall-stock = estoque insuficiente: { $left ->
        [one] resta { $left } unidade
       *[other] restam { $left } unidades
    }; { $asked } pedidas
shortfall-cap = a organização pode receber mais { $left ->
        [one] { $left } unidade
       *[other] { $left } unidades
    } neste período; { $asked } pedidas
request-over-available = a organização pode pedir no máximo { $available ->
        [one] { $available } unidade
       *[other] { $available } unidades
    } agora

## Formações recomendadas (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = responde ao seu desafio “{ $challenge }” (urgência { $urgency } de 5){ $more ->
        [0] {""}
        [one] {" "}e a mais um dos seus desafios
       *[other] {" "}e a mais { $more } dos seus desafios
    }
