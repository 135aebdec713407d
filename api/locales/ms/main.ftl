# Malay.

## Eligibility reasons.

eligibility-not-validated = program ini memerlukan pengesahan yang telah diluluskan
eligibility-validation-expired = pengesahan organisasi telah tamat tempoh: sila perbaharuinya
eligibility-country-not-served = program ini tidak ditawarkan di negara organisasi
eligibility-type-not-eligible = program ini bukan untuk jenis organisasi ini
eligibility-budget-over = bajet tahunan organisasi melebihi had program
eligibility-budget-unknown = program ini mempunyai had bajet: isytiharkan bajet tahunan organisasi
eligibility-budget-other-currency = bajet organisasi dalam mata wang yang berbeza daripada had program
eligibility-cap-reached = organisasi telah menerima jumlah maksimum yang diberikan oleh program ini bagi setiap tempoh (baki { $remaining } unit)
eligibility-cap-reached-resets = organisasi telah menerima jumlah maksimum yang diberikan oleh program ini bagi setiap tempoh (baki { $remaining } unit); unit akan tersedia semula pada { $resets }
eligibility-out-of-stock = stok program ini telah habis
eligibility-program-inactive = program ini tidak menerima permohonan

## Kekurangan semasa menempah unit.

shortfall-stock = stok tidak mencukupi: tinggal { $left } unit, { $asked } diminta
shortfall-cap = organisasi boleh menerima { $left } unit lagi dalam tempoh ini, { $asked } diminta
request-over-available = organisasi boleh meminta paling banyak { $available } unit sekarang

## Latihan yang disyorkan (Organization.recommendedTrainings).

# $challenge (text): the title of the most urgent challenge a session answers; $urgency (number): its urgency; $more (number): how many other challenges it answers.
recommendation-reason = menjawab cabaran anda “{ $challenge }” (kesegeraan { $urgency } daripada 5){ $more ->
        [0] {""}
       *[other] {" "}dan { $more } lagi cabaran anda
    }
